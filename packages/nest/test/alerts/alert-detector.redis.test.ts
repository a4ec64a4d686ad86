import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDetector } from '../../src/alerts/alert-detector.js';
import { DEFAULT_ALERT_RULES } from '../../src/alerts/alert-rules.js';
import type { SecurityEvent } from '../../src/audit/security-event.js';
import { createStore } from '../../src/stores/store.factory.js';
import type { BastionStore } from '../../src/stores/store.interface.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const failed = (ip: string): SecurityEvent => ({ type: 'authentication.failed', outcome: 'failure', reason: 'ERR_SIGNATURE_INVALID', ip, time: '' });

describe('alert windows across instances (real Redis)', () => {
  let redis: TestRedis | undefined;
  const stores: BastionStore[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    for (const s of stores) await s.close?.();
    await redis?.stop();
  });

  it('two instances on one Redis count one window and raise one alert', async (ctx) => {
    if (!redis) return ctx.skip();
    for (let i = 0; i < 2; i++) stores.push(await createStore({ type: 'redis', url: redis.url, keyPrefix: 'alerts-test:' }));
    const [a, b] = stores.map((s) => new AlertDetector(s, DEFAULT_ALERT_RULES, 300));
    const alerts = [];
    for (let i = 0; i < 10; i++) alerts.push(...(await (i % 2 ? a! : b!).observe(failed('198.51.100.7'))));
    expect(alerts).toEqual([]);
    alerts.push(...(await a!.observe(failed('198.51.100.7'))));
    for (let i = 0; i < 10; i++) alerts.push(...(await (i % 2 ? a! : b!).observe(failed('198.51.100.7'))));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ reason: 'ALERT_AUTH_FAILURES_PER_IP', details: { count: 11 } });
  });
});
