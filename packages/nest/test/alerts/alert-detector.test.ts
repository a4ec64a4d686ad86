import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertDetector } from '../../src/alerts/alert-detector.js';
import { DEFAULT_ALERT_RULES, ruleKey, type AlertRule } from '../../src/alerts/alert-rules.js';
import type { SecurityEvent } from '../../src/audit/security-event.js';
import { MemoryStore } from '../../src/stores/memory.store.js';

const failed = (ip: string, reason = 'ERR_SIGNATURE_INVALID', claimed?: SecurityEvent['claimed']): SecurityEvent => ({
  type: 'authentication.failed', outcome: 'failure', reason, ip, time: new Date().toISOString(), claimed,
});

describe('alert rules', () => {
  it('key events by dimension and skip events without it', () => {
    const [perIp] = DEFAULT_ALERT_RULES;
    expect(ruleKey(perIp!, failed('10.0.0.1'))).toBe('ALERT_AUTH_FAILURES_PER_IP:ip:10.0.0.1');
    expect(ruleKey(perIp!, { ...failed('10.0.0.1'), ip: undefined })).toBeUndefined();
    expect(ruleKey(perIp!, failed('10.0.0.1', 'ERR_CREDENTIAL_MISSING'))).toBeUndefined();
    expect(ruleKey(perIp!, { ...failed('10.0.0.1'), type: 'authorization.denied' })).toBeUndefined();
    const bySubject: AlertRule = { name: 'S', on: ['authentication.failed'], by: 'subject', threshold: 1, window: 60, reasons: ['ERR_TOKEN_REVOKED'] };
    expect(ruleKey(bySubject, failed('ip', 'ERR_TOKEN_REVOKED', { subject: 'a b' }))).toBe('S:subject:a%20b');
    expect(ruleKey(bySubject, failed('ip', 'ERR_TOKEN_EXPIRED', { subject: 'a' }))).toBeUndefined();
  });
});

describe('AlertDetector (sliding window in the store, fake time)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('raises one alert when more than 10 failures from one IP fall within a minute, then stays quiet for the cooldown', async () => {
    const detector = new AlertDetector(new MemoryStore(), DEFAULT_ALERT_RULES, 300);
    const alerts = [];
    for (let i = 0; i < 10; i++) alerts.push(...(await detector.observe(failed('203.0.113.9'))));
    expect(alerts).toEqual([]);
    alerts.push(...(await detector.observe(failed('203.0.113.9'))));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'alert.raised', reason: 'ALERT_AUTH_FAILURES_PER_IP', ip: '203.0.113.9', details: { count: 11, threshold: 10, by: 'ip', value: '203.0.113.9' } });
    for (let i = 0; i < 20; i++) alerts.push(...(await detector.observe(failed('203.0.113.9'))));
    expect(alerts).toHaveLength(1);
    // Another IP has its own window.
    for (let i = 0; i < 11; i++) alerts.push(...(await detector.observe(failed('198.51.100.1'))));
    expect(alerts).toHaveLength(2);
    // After the cooldown, a new burst alerts again.
    vi.setSystemTime(Date.now() + 301_000);
    for (let i = 0; i < 11; i++) alerts.push(...(await detector.observe(failed('203.0.113.9'))));
    expect(alerts).toHaveLength(3);
  });

  it('slides: failures spread over more than a minute do not alert', async () => {
    const detector = new AlertDetector(new MemoryStore(), DEFAULT_ALERT_RULES, 300);
    const alerts = [];
    for (let i = 0; i < 30; i++) {
      alerts.push(...(await detector.observe(failed('203.0.113.9'))));
      vi.setSystemTime(Date.now() + 7_000); // ~8.6 per minute
    }
    expect(alerts).toEqual([]);
  });

  it('alerts on the 6th signature failure per key and on any replay', async () => {
    const detector = new AlertDetector(new MemoryStore(), DEFAULT_ALERT_RULES, 300);
    const sig: SecurityEvent = { type: 'signature.invalid', outcome: 'failure', time: '', claimed: { keyId: 'k1' } };
    const counts = [];
    for (let i = 0; i < 6; i++) counts.push((await detector.observe(sig)).length);
    expect(counts).toEqual([0, 0, 0, 0, 0, 1]);
    const replay: SecurityEvent = { type: 'signature.replayed', outcome: 'failure', time: '', ip: '10.1.1.1' };
    expect((await detector.observe(replay)).map((a) => a.reason)).toEqual(['ALERT_REPLAY']);
  });

  it('shares windows and cooldowns through the store (two instances, one alert)', async () => {
    const store = new MemoryStore();
    const a = new AlertDetector(store, DEFAULT_ALERT_RULES, 300);
    const b = new AlertDetector(store, DEFAULT_ALERT_RULES, 300);
    const alerts = [];
    for (let i = 0; i < 12; i++) alerts.push(...(await (i % 2 ? a : b).observe(failed('203.0.113.9'))));
    expect(alerts).toHaveLength(1);
  });

  it('ignores alert events (no feedback loop) and rejects when the store fails', async () => {
    const detector = new AlertDetector(new MemoryStore(), [{ name: 'X', on: ['alert.raised'], by: 'ip', threshold: 0, window: 60 }], 300);
    expect(await detector.observe({ type: 'alert.raised', outcome: 'info', time: '', ip: '1.1.1.1' })).toEqual([]);
    const broken = new MemoryStore();
    broken.hitSliding = () => Promise.reject(new Error('down'));
    await expect(new AlertDetector(broken, DEFAULT_ALERT_RULES, 300).observe(failed('1.1.1.1'))).rejects.toThrow('down');
  });
});
