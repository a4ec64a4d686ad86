import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../src/audit/security-event.js';
import { errorType, methodAttribute, nameAttribute, reasonAttribute } from '../../src/telemetry/attributes.js';
import { countsOf } from '../../src/telemetry/event-metrics.js';

const countOf = (e: SecurityEvent) => {
  const counts = countsOf(e);
  expect(counts.length).toBeLessThanOrEqual(1);
  return counts[0];
};
import { BASTION_METRICS } from '../../src/telemetry/metric-definitions.js';

const base = { time: '2026-01-01T00:00:00.000Z', requestId: 'req-12345678', method: 'GET', route: '/orders/4711', routeTemplate: '/orders/:id', ip: '203.0.113.9' };
const who = { subject: 'alice@example.com', clientId: 'spa-client', keyId: 'jti-secret-ish', credential: 'jwt' as const };

const event = (e: Omit<SecurityEvent, 'time'>): SecurityEvent => ({ ...base, ...e }) as SecurityEvent;

describe('countOf (security event → counter)', () => {
  it.each([
    [event({ type: 'authentication.succeeded', outcome: 'success', principal: who }), 'authenticationAttempts', { 'bastion.authentication.result': 'success', 'bastion.credential.type': 'jwt', 'http.route': '/orders/:id', 'http.request.method': 'GET' }],
    [event({ type: 'authentication.failed', outcome: 'failure', reason: 'ERR_CREDENTIAL_MISSING' }), 'authenticationAttempts', { 'bastion.authentication.result': 'failure', 'bastion.credential.type': 'none', 'bastion.reason': 'ERR_CREDENTIAL_MISSING', 'http.route': '/orders/:id', 'http.request.method': 'GET' }],
    [event({ type: 'authentication.failed', outcome: 'failure', reason: 'ERR_TOKEN_EXPIRED', claimed: { subject: 'mallory' }, details: { credential: 'jwt' } }), 'authenticationAttempts', { 'bastion.authentication.result': 'failure', 'bastion.credential.type': 'jwt', 'bastion.reason': 'ERR_TOKEN_EXPIRED', 'http.route': '/orders/:id', 'http.request.method': 'GET' }],
    [event({ type: 'authorization.denied', outcome: 'denied', reason: 'ERR_SCOPE_MISSING', principal: who, details: { handler: 'OrdersController.get', boundary: 'public', detail: 'scopes missing: orders:read' } }), 'authorizationDenials', { 'bastion.reason': 'ERR_SCOPE_MISSING', 'bastion.credential.type': 'jwt', 'bastion.boundary': 'public', 'http.route': '/orders/:id', 'http.request.method': 'GET' }],
    [event({ type: 'request.throttled', outcome: 'denied', reason: 'ERR_RATE_LIMITED', principal: who }), 'throttleRejections', { 'bastion.reason': 'ERR_RATE_LIMITED', 'bastion.throttle.tracker': 'principal', 'http.route': '/orders/:id', 'http.request.method': 'GET' }],
    [event({ type: 'request.throttled', outcome: 'denied', reason: 'ERR_CLIENT_BLOCKED' }), 'throttleRejections', { 'bastion.reason': 'ERR_CLIENT_BLOCKED', 'bastion.throttle.tracker': 'ip', 'http.route': '/orders/:id', 'http.request.method': 'GET' }],
    [event({ type: 'client.blocked', outcome: 'denied', reason: 'ERR_TOO_MANY_FAILED_AUTHENTICATIONS', details: { failures: 20 } }), 'clientBlocks', {}],
    [event({ type: 'alert.raised', outcome: 'info', reason: 'ALERT_AUTH_FAILURES_PER_IP', details: { value: '203.0.113.9' } }), 'alerts', { 'bastion.alert.rule': 'ALERT_AUTH_FAILURES_PER_IP' }],
    [event({ type: 'token.revoked', outcome: 'info', reason: 'REVOKED_SUBJECT', principal: { subject: 'alice' } }), 'revocations', { 'bastion.revocation.scope': 'subject' }],
  ] as const)('%#: %o', (e, metric, attributes) => {
    expect(countOf(e)).toEqual({ metric, attributes });
    expect(BASTION_METRICS[metric].attributes).toEqual(expect.arrayContaining(Object.keys(attributes)));
  });

  it('counts a rejected credential that spent the anonymous budget (a 429) as a failure and a throttle rejection', () => {
    const e = event({ type: 'authentication.failed', outcome: 'failure', reason: 'ERR_SIGNATURE_INVALID', details: { credential: 'jwt', throttled: 'ERR_RATE_LIMITED' } });
    expect(countsOf(e).map((c) => [c.metric, c.attributes['bastion.reason']])).toEqual([
      ['authenticationAttempts', 'ERR_SIGNATURE_INVALID'],
      ['throttleRejections', 'ERR_RATE_LIMITED'],
    ]);
  });

  it('counts nothing for events that are not decisions', () => {
    expect(countOf(event({ type: 'configuration.warning', outcome: 'info', reason: 'ERR_ROUTE_UNDECIDED' }))).toBeUndefined();
  });

  it('never labels with a subject, client id, key id, IP, raw path or free text', () => {
    const hostile = event({
      type: 'authentication.failed',
      outcome: 'failure',
      reason: 'token eyJhbGciOi… from 203.0.113.9',
      method: 'GET /x HTTP/1.1\r\nX: y',
      claimed: { subject: 'alice@example.com', clientId: 'spa-client', keyId: 'jti-secret-ish', credential: 'not a type!' as never },
    });
    const { attributes } = countOf(hostile)!;
    expect(attributes).toEqual({ 'bastion.authentication.result': 'failure', 'bastion.credential.type': '_OTHER', 'bastion.reason': '_OTHER', 'http.route': '/orders/:id', 'http.request.method': '_OTHER' });
    const values = Object.values(attributes).join(' ');
    for (const secret of ['alice', 'spa-client', 'jti-secret', '203.0.113.9', '/orders/4711', 'eyJ']) expect(values).not.toContain(secret);
  });

  it('leaves http.route out rather than falling back to the raw path', () => {
    const { attributes } = countOf(event({ type: 'authentication.failed', outcome: 'failure', reason: 'ERR_CREDENTIAL_MISSING', routeTemplate: undefined }))!;
    expect(attributes).not.toHaveProperty('http.route');
  });
});

describe('attribute values', () => {
  it('keep known methods, codes and names, and turn anything else into _OTHER', () => {
    expect([methodAttribute('PATCH'), methodAttribute('get'), methodAttribute('PROPFIND'), methodAttribute(undefined)]).toEqual(['PATCH', '_OTHER', '_OTHER', '_OTHER']);
    expect([reasonAttribute('ERR_TOKEN_EXPIRED'), reasonAttribute('validation failed: a:b'), reasonAttribute(undefined)]).toEqual(['ERR_TOKEN_EXPIRED', '_OTHER', '_OTHER']);
    expect([nameAttribute('api-key'), nameAttribute('internal'), nameAttribute('a b'), nameAttribute(42), nameAttribute('x'.repeat(65))]).toEqual(['api-key', 'internal', '_OTHER', '_OTHER', '_OTHER']);
  });

  it('error.type is an error code or class name, never a message', () => {
    expect(errorType(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6379'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorType(new TypeError('redis://:hunter2@cache:6379 unreachable'))).toBe('TypeError');
    expect(errorType('boom')).toBe('_OTHER');
    expect(errorType({ name: 'has spaces in it', code: 'lower' })).toBe('_OTHER');
  });
});
