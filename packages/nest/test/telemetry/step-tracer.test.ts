import * as api from '@opentelemetry/api';
import { ForbiddenException, InternalServerErrorException } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionException, InvalidTokenException } from '../../src/errors/bastion.exception.js';
import { StepTracer, refusalReason } from '../../src/telemetry/step-tracer.js';
import { enableContext, testTelemetry, type TestTelemetry } from '../support/telemetry.js';

describe('StepTracer', () => {
  let telemetry: TestTelemetry;
  let steps: StepTracer;
  beforeAll(() => {
    enableContext();
    telemetry = testTelemetry();
    steps = new StepTracer(api, telemetry.tracerProvider.getTracer('@bastion/nest') as api.Tracer);
  });
  afterAll(() => telemetry.shutdown());

  /** Runs `fn` under a recording request span; returns that span's context. */
  async function inRequest(fn: () => Promise<unknown>): Promise<api.SpanContext> {
    const request = telemetry.tracerProvider.getTracer('http').startSpan('GET');
    await api.context.with(api.trace.setSpan(api.context.active(), request), () => fn().catch(() => undefined));
    request.end();
    return request.spanContext();
  }
  const spanNamed = (name: string, traceId: string) => telemetry.spans().find((s) => s.name === name && s.spanContext().traceId === traceId)!;

  it('makes a child span of the active request span, with the decision', async () => {
    const parent = await inRequest(() => steps.trace('authorize', async () => true, () => ({ 'http.route': '/orders/:id', 'bastion.credential.type': undefined })));
    const span = spanNamed('bastion.authorize', parent.traceId);
    expect(span.parentSpanContext?.spanId).toBe(parent.spanId);
    expect(span.attributes).toEqual({ 'http.route': '/orders/:id', 'bastion.decision': 'allow' });
    expect(span.status.code).toBe(api.SpanStatusCode.UNSET);
  });

  it('records a refusal as deny with its reason code, status unset, and passes the error on', async () => {
    let thrown: unknown;
    const parent = await inRequest(() =>
      steps.trace('authenticate', async () => {
        throw new InvalidTokenException('ERR_TOKEN_EXPIRED');
      }).catch((e) => ((thrown = e), Promise.reject(e))),
    );
    expect(thrown).toBeInstanceOf(InvalidTokenException);
    const span = spanNamed('bastion.authenticate', parent.traceId);
    expect(span.attributes).toEqual({ 'bastion.decision': 'deny', 'bastion.reason': 'ERR_TOKEN_EXPIRED' });
    expect(span.status.code).toBe(api.SpanStatusCode.UNSET);
  });

  it('records a failure of the step itself as error, with error.type and no message', async () => {
    const parent = await inRequest(() =>
      steps.trace('throttle', async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6379'), { code: 'ECONNREFUSED' });
      }),
    );
    const span = spanNamed('bastion.throttle', parent.traceId);
    expect(span.attributes).toEqual({ 'bastion.decision': 'error', 'error.type': 'ECONNREFUSED' });
    expect(span.status).toEqual({ code: api.SpanStatusCode.ERROR });
    expect(JSON.stringify(span.events)).not.toContain('10.0.0.5');
  });

  it('makes no span when no request span is active, or it is not recording', async () => {
    const before = telemetry.spans().length;
    expect(await steps.trace('authorize', async () => 'ran')).toBe('ran');
    const unsampled = api.trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: api.TraceFlags.NONE });
    await api.context.with(api.trace.setSpan(api.context.active(), unsampled), () => steps.trace('authorize', async () => 'ran'));
    expect(telemetry.spans().length).toBe(before);
  });

  it('takes the reason from Bastion exceptions, the public code when the reason is free text, and nothing from 5xx', () => {
    expect(refusalReason(new InvalidTokenException('ERR_TOKEN_REVOKED'))).toBe('ERR_TOKEN_REVOKED');
    expect(refusalReason(new BastionException('ERR_VALIDATION', { reason: 'validation failed: name:isString' }))).toBe('ERR_VALIDATION');
    expect(refusalReason(new ForbiddenException())).toBe('ERR_HTTP_403');
    expect(refusalReason(new BastionException('ERR_SERVICE_UNAVAILABLE', { reason: 'ERR_THROTTLE_STORE_UNAVAILABLE' }))).toBeUndefined();
    expect(refusalReason(new InternalServerErrorException())).toBeUndefined();
    expect(refusalReason(new Error('x'))).toBeUndefined();
  });
});
