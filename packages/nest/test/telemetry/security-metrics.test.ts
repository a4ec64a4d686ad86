import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Meter } from '@opentelemetry/api';
import { FetchHistory } from '../../src/oauth-client/fetch-history.js';
import { BASTION_METRICS } from '../../src/telemetry/metric-definitions.js';
import { SecurityMetrics, type GaugeSources } from '../../src/telemetry/security-metrics.js';
import { testTelemetry, type TestTelemetry } from '../support/telemetry.js';

describe('SecurityMetrics (real SDK, in-memory exporter)', () => {
  let telemetry: TestTelemetry;
  let metrics: SecurityMetrics;
  beforeEach(() => {
    telemetry = testTelemetry();
    metrics = new SecurityMetrics(telemetry.meterProvider.getMeter('@bastion/nest') as Meter);
  });
  afterEach(() => telemetry.shutdown());

  it('creates every instrument with the unit and description of its definition', async () => {
    metrics.event({ type: 'client.blocked', outcome: 'denied', time: '' });
    metrics.verification('jwt')(0.001, { cache: 'hit' }, undefined);
    metrics.storeCalls('counters', 'memory')('get', 0.0001, undefined);
    metrics.storeFailure({ role: 'counters', type: 'redis' }, 'throttle', 'open', new Error('x'));
    metrics.revocationCheck('revoked');
    const exported = await telemetry.metrics();
    for (const name of ['bastion.client.blocks', 'bastion.verification.duration', 'bastion.store.duration', 'bastion.store.errors', 'bastion.revocation.checks']) {
      const definition = Object.values(BASTION_METRICS).find((d) => d.name === name)!;
      expect(exported.find((m) => m.descriptor.name === name)?.descriptor).toMatchObject({ unit: definition.unit, description: definition.description });
    }
  });

  it('records verification time by credential, cache and result, with the rejection reason', async () => {
    const observe = metrics.verification('jwt');
    observe(0.00002, { cache: 'hit' }, undefined);
    observe(0.00004, { cache: 'miss' }, undefined);
    observe(0.00005, { cache: 'miss' }, Object.assign(new Error('expired'), { reason: 'ERR_TOKEN_EXPIRED' }));
    metrics.verification('introspection')(0.02, { cache: 'miss' }, Object.assign(new Error('x'), { reason: 'ERR_INTROSPECTION_UNAVAILABLE' }));
    const name = BASTION_METRICS.verificationDuration.name;
    expect(await telemetry.count(name, { 'bastion.token.cache': 'hit', 'bastion.verification.result': 'success' })).toBe(1);
    expect(await telemetry.count(name, { 'bastion.credential.type': 'jwt', 'bastion.token.cache': 'miss' })).toBe(2);
    expect(await telemetry.count(name, { 'bastion.verification.result': 'failure', 'bastion.reason': 'ERR_TOKEN_EXPIRED' })).toBe(1);
    expect(await telemetry.count(name, { 'bastion.credential.type': 'introspection', 'bastion.reason': 'ERR_INTROSPECTION_UNAVAILABLE' })).toBe(1);
  });

  it('records store round trips and errors with error.type, and fail modes by consumer', async () => {
    const observe = metrics.storeCalls('counters', 'redis');
    observe('increment', 0.0004, undefined);
    observe('get', 1.0, Object.assign(new Error('Command timed out'), { name: 'TimeoutError' }));
    metrics.storeCalls('security', 'redis')('get', 0.0003, undefined, 'revocation');
    metrics.storeFailure({ role: 'counters', type: 'redis' }, 'throttle', 'open', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' }));
    expect(await telemetry.count('bastion.store.duration', { 'bastion.store': 'counters', 'bastion.store.operation': 'increment', 'bastion.store.type': 'redis' })).toBe(1);
    expect(await telemetry.count('bastion.store.duration', { 'bastion.store.operation': 'get', 'error.type': 'TimeoutError' })).toBe(1);
    expect(await telemetry.count('bastion.store.duration', { 'bastion.store': 'security', 'bastion.store.kind': 'revocation' })).toBe(1);
    expect(await telemetry.count('bastion.store.errors', { 'bastion.store': 'counters', 'bastion.store.consumer': 'throttle', 'bastion.fail_mode': 'open', 'error.type': 'ECONNREFUSED' })).toBe(1);
  });

  it('observes key-set age, fetches, cached tokens and store size at collection time only, until unregistered', async () => {
    let now = 10_000_000;
    const jwks = new FetchHistory();
    jwks.succeeded(now - 90_000);
    jwks.failed(now - 5_000, new Error('x'));
    const discovery = new FetchHistory();
    discovery.succeeded(now - 100_000);
    let reads = 0;
    const sources: GaugeSources = {
      now: () => now,
      issuerDocuments: () => (reads++, [{ issuer: 'https://id.example', document: 'jwks', status: jwks.status() }, { issuer: 'https://id.example', document: 'discovery', status: discovery.status() }]),
      tokenCaches: () => [{ credential: 'jwt', size: 42 }],
      storeSizes: () => [
        { role: 'counters', type: 'memory', size: 7 },
        { role: 'security', type: 'memory', kind: 'revocation', size: 3, capacity: 100 },
      ],
    };
    const unregister = metrics.observe(sources);
    expect(reads).toBe(0);
    expect(await telemetry.points('bastion.key_set.age')).toEqual([{ attributes: { 'bastion.issuer': 'https://id.example' }, value: 90, type: expect.anything() }]);
    expect(await telemetry.count('bastion.issuer.fetches', { 'bastion.issuer.document': 'jwks', 'bastion.fetch.result': 'failure' })).toBe(1);
    expect(await telemetry.count('bastion.issuer.fetches', { 'bastion.issuer.document': 'discovery', 'bastion.fetch.result': 'success' })).toBe(1);
    expect(await telemetry.count('bastion.token_cache.size', { 'bastion.credential.type': 'jwt' })).toBe(42);
    expect(await telemetry.count('bastion.store.size', { 'bastion.store': 'counters', 'bastion.store.type': 'memory' })).toBe(7);
    expect(await telemetry.count('bastion.store.size', { 'bastion.store': 'security', 'bastion.store.kind': 'revocation' })).toBe(3);
    expect(await telemetry.count('bastion.store.capacity', { 'bastion.store': 'security', 'bastion.store.kind': 'revocation' })).toBe(100);
    now += 10_000;
    expect((await telemetry.points('bastion.key_set.age'))[0]?.value).toBe(100);
    const before = reads;
    unregister();
    await telemetry.metrics();
    expect(reads).toBe(before);
  });
});
