import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SecurityEvent } from '../../src/audit/security-event.js';
import { SecurityEvents } from '../../src/audit/security-events.service.js';
import { BastionModule } from '../../src/bastion.module.js';
import type { Principal } from '../../src/core/principal.js';
import type { BastionOptions } from '../../src/options/bastion-options.interface.js';
import { RevocationService } from '../../src/revocation/revocation.service.js';
import { MemorySecurityStore } from '../../src/stores/memory-security.store.js';
import { MemoryStore } from '../../src/stores/memory.store.js';
import { SECURITY_STATE_FULL_ALERT } from '../../src/stores/security-state-alarm.js';
import { BASTION_SECURITY_STATE } from '../../src/stores/security-state.interface.js';
import { BASTION_STORE } from '../../src/stores/store.interface.js';
import { BruteForceService } from '../../src/throttling/brute-force.service.js';
import { testLogger } from '../support/log-capture.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

async function boot(options: BastionOptions): Promise<INestApplicationContext> {
  @Module({ imports: [BastionModule.forRoot({ audit: { sink: false }, ...options })] })
  class AppModule {}
  return NestFactory.createApplicationContext(AppModule, { logger: testLogger(), abortOnError: false });
}

const tokenOf = (jti: string, sub = 'user'): Principal => ({
  subject: sub,
  credential: 'jwt',
  scopes: new Set(),
  roles: new Set(),
  tokenId: jti,
  claims: { iat: Math.floor(Date.now() / 1000) - 60, exp: Math.floor(Date.now() / 1000) + 600 },
});

const failure = (ip: string, sub: string): Omit<SecurityEvent, 'time'> => ({
  type: 'authentication.failed',
  outcome: 'failure',
  reason: 'ERR_SIGNATURE_INVALID',
  ip,
  claimed: { subject: sub, credential: 'jwt' },
});

/** The n-th flood client: distinct IPv4 addresses, then distinct IPv6 /64s. */
const floodIp = (n: number) => (n % 2 === 0 ? `10.${(n >> 17) & 255}.${(n >> 9) & 255}.${(n >> 1) & 255}` : `2001:db8:${(n >> 16).toString(16)}:${(n & 0xffff).toString(16)}::1`);

describe('security state under a flood of attacker-chosen keys (default memory store)', () => {
  let app: INestApplicationContext;
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    app = await boot({});
  });
  afterAll(async () => {
    vi.useRealTimers();
    await app?.close();
  });

  it(
    '1,000,000 distinct failing clients: every revocation and block is still enforced, memory stays inside the bounds',
    async () => {
      const events = app.get(SecurityEvents);
      const revocation = app.get(RevocationService);
      const bruteForce = app.get(BruteForceService);
      const counters = app.get<MemoryStore>(BASTION_STORE);
      const security = app.get<MemorySecurityStore>(BASTION_SECURITY_STATE);
      expect(counters).toBeInstanceOf(MemoryStore);
      expect(security).toBeInstanceOf(MemorySecurityStore);

      // Security state written before the flood: revoked tokens, a "log out everywhere", blocked clients
      // (IPv4 and an IPv6 /64), each blocked by 20 real failures (the default threshold).
      for (let i = 0; i < 1_000; i++) await revocation.revokeToken(`revoked-${i}`, new Date(Date.now() + 600_000));
      await revocation.revokeSubject('mallory');
      const blocked = [...Array.from({ length: 50 }, (_, i) => `192.0.2.${i + 1}`), ...Array.from({ length: 50 }, (_, i) => `2001:db8:ffff:${i.toString(16)}::7`)];
      for (const ip of blocked) for (let i = 0; i < 20; i++) events.emit(failure(ip, `guess-${i}`));
      await bruteForce.settled();
      for (const ip of blocked) expect(await bruteForce.blockedFor(ip)).toBeGreaterThan(0);

      const before = heapUsed();
      const FLOOD = 1_000_000;
      for (let n = 0; n < FLOOD; n++) {
        // Each failure writes attacker-chosen counter keys: its failure window, its claimed identity, its alert window.
        events.emit(failure(floodIp(n), `victim-${n}`));
        if (n % 2_000 === 1_999) await bruteForce.settled();
      }
      await bruteForce.settled();
      const grown = heapUsed() - before;

      for (let i = 0; i < 1_000; i++) expect(await revocation.isRevoked(tokenOf(`revoked-${i}`))).toBe(true);
      expect(await revocation.isRevoked(tokenOf('fresh', 'mallory'))).toBe(true);
      expect(await revocation.isRevoked(tokenOf('fresh', 'alice'))).toBe(false);
      for (const ip of blocked) expect(await bruteForce.blockedFor(ip)).toBeGreaterThan(0);
      // Another address in a blocked /64 is blocked too.
      expect(await bruteForce.blockedFor('2001:db8:ffff:3::beef')).toBeGreaterThan(0);

      expect(counters.size).toBeLessThanOrEqual(100_000);
      expect(security.size('revocation')).toBe(1_001);
      expect(security.size('block')).toBe(100);
      // 3,000,000 counter keys were written; what is left is bounded by maxKeys (≈ 20–40 MB for 100,000
      // counters), far below what an unbounded map of them would take (> 500 MB).
      expect(grown).toBeLessThan(96 * 1024 * 1024);
    },
    600_000,
  );
});

describe('security state at its bound (memory)', () => {
  let app: INestApplicationContext;
  const seen: SecurityEvent[] = [];
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    app = await boot({ store: { type: 'memory', maxSecurityEntries: { block: 30, revocation: 10 } }, bruteForce: { maxFailures: 3 } });
    app.get(SecurityEvents).subscribe((e) => void seen.push(e));
  });
  afterAll(async () => {
    vi.useRealTimers();
    await app?.close();
  });

  it('attackers who fill the blocks get no further blocks, the operator is alerted once, and revocations are unaffected', async () => {
    const events = app.get(SecurityEvents);
    const bruteForce = app.get(BruteForceService);
    const revocation = app.get(RevocationService);
    for (let c = 0; c < 40; c++) for (let i = 0; i < 3; i++) events.emit(failure(`198.51.100.${c + 1}`, 'x'));
    await bruteForce.settled();
    const blockedNow = await Promise.all(Array.from({ length: 40 }, (_, c) => bruteForce.blockedFor(`198.51.100.${c + 1}`)));
    expect(blockedNow.slice(0, 30).every((ms) => ms > 0)).toBe(true);
    expect(blockedNow.slice(30).every((ms) => ms === 0)).toBe(true);
    const alerts = seen.filter((e) => e.type === 'alert.raised' && e.reason === SECURITY_STATE_FULL_ALERT);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.details).toEqual({ kind: 'block', limit: 30, option: 'store.maxSecurityEntries.block' });
    expect(seen.filter((e) => e.type === 'client.blocked')).toHaveLength(30);

    // Revocations have their own room: the full block store takes none of it.
    for (let i = 0; i < 10; i++) await revocation.revokeToken(`j${i}`);
    // At its own bound, revoking fails loudly (503, reason ERR_SECURITY_STATE_FULL) — never silently.
    const error = await revocation.revokeToken('j10').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_SERVICE_UNAVAILABLE', reason: 'ERR_SECURITY_STATE_FULL' });
    expect(await revocation.isRevoked(tokenOf('j10'))).toBe(false);
    for (let i = 0; i < 10; i++) expect(await revocation.isRevoked(tokenOf(`j${i}`))).toBe(true);
    expect(seen.filter((e) => e.reason === SECURITY_STATE_FULL_ALERT).map((e) => e.details?.kind)).toEqual(['block', 'revocation']);

    // When blocks expire, room comes back: a new offender is blocked again.
    vi.setSystemTime(Date.now() + 86_400_000 + 1);
    for (let i = 0; i < 3; i++) events.emit(failure('203.0.113.200', 'x'));
    await bruteForce.settled();
    expect(await bruteForce.blockedFor('203.0.113.200')).toBeGreaterThan(0);
  });
});
