import { describe, expect, it } from 'vitest';
import { cutoffRetentionMs, isCutOff, jtiRetentionMs, lifetimeViolation, parseCutoff, revocationKey } from '../../src/revocation/revocation-rules.js';

describe('revocation rules', () => {
  it('escapes ids in store keys', () => {
    expect(revocationKey('sub', 'a:b/c d')).toBe('sub:a%3Ab%2Fc%20d');
    expect(revocationKey('jti', 'x')).not.toBe(revocationKey('sub', 'x'));
  });

  it('cuts off tokens issued at or before the cut-off second, and tokens without iat', () => {
    expect(isCutOff(1000, 999)).toBe(true);
    expect(isCutOff(1000, 1000)).toBe(true);
    expect(isCutOff(1000, 1001)).toBe(false);
    expect(isCutOff(1000, undefined)).toBe(true);
    expect(isCutOff(1000, '2000')).toBe(true);
    expect(parseCutoff('garbage', 42)).toBe(42);
  });

  it('rejects tokens living longer than the maximum (exp - iat, or exp - now without iat)', () => {
    const rules = { maxLifetime: 3600, requireJti: false };
    const now = 1_000_000 * 1000;
    expect(lifetimeViolation({ iat: 1_000_000, exp: 1_003_600 }, rules, now)).toBeUndefined();
    expect(lifetimeViolation({ iat: 1_000_000, exp: 1_003_601 }, rules, now)).toBe('ERR_TOKEN_LIFETIME');
    expect(lifetimeViolation({ exp: 1_003_601 }, rules, now)).toBe('ERR_TOKEN_LIFETIME');
    expect(lifetimeViolation({ exp: 1_003_000 }, rules, now)).toBeUndefined();
    expect(lifetimeViolation({ iat: 0, exp: 10 ** 10 }, { maxLifetime: false, requireJti: false }, now)).toBeUndefined();
  });

  it('refuses tokens without jti when required', () => {
    const rules = { maxLifetime: 3600, requireJti: true };
    expect(lifetimeViolation({ iat: 1, exp: 2 }, rules, 0)).toBe('ERR_TOKEN_ID_MISSING');
    expect(lifetimeViolation({ iat: 1, exp: 2, jti: '' }, rules, 0)).toBe('ERR_TOKEN_ID_MISSING');
    expect(lifetimeViolation({ iat: 1, exp: 2, jti: 'j' }, rules, 0)).toBeUndefined();
  });

  it('keeps a revoked jti listed until the token expires, plus tolerance', () => {
    const now = 1_000_000;
    expect(jtiRetentionMs(new Date(now + 5_000), 3600, 60, now)).toBe(65_000);
    expect(jtiRetentionMs(now / 1000 + 10, 3600, 0, now)).toBe(10_000);
    expect(jtiRetentionMs(undefined, 3600, 0, now)).toBe(3_600_000);
    expect(jtiRetentionMs(new Date(now - 5_000), 3600, 60, now)).toBe(60_000);
  });

  it('widens a cut-off by the issuer clock skew: iat up to cut-off + skew is refused, one second more is not', () => {
    expect(isCutOff(1000, 1030, 30)).toBe(true);
    expect(isCutOff(1000, 1031, 30)).toBe(false);
    expect(isCutOff(1000, 1001, 0)).toBe(false);
  });

  it('keeps a cut-off for the lifetime plus twice the tolerance, from the cut-off time', () => {
    const now = 1_000_000_000;
    expect(cutoffRetentionMs(now, 600, 300, now)).toBe(1_200_000);
    expect(cutoffRetentionMs(now - 50_000, 600, 60, now)).toBe(720_000);
    // A cut-off set for a time still to come is kept until then, plus the same span.
    expect(cutoffRetentionMs(now + 10_000, 600, 60, now)).toBe(730_000);
  });
});
