import { describe, expect, it } from 'vitest';
import { HmacKeyRing, macEquals } from '../../src/keys/hmac-key-ring.js';
import { generateHmacSecret } from '../../src/keys/key-generation.js';
import { recordSecret } from '../support/secrets.js';

describe('HmacKeyRing', () => {
  const current = recordSecret(generateHmacSecret());
  const previous = recordSecret(generateHmacSecret());

  it('signs with the current secret and verifies against every secret in the ring', () => {
    const oldRing = new HmacKeyRing([previous]);
    const ring = new HmacKeyRing([current, previous]);
    expect(ring.sign('data')).toBe(new HmacKeyRing(current).sign('data'));
    expect(ring.verify('data', oldRing.sign('data'))).toBe(true);
    expect(ring.verify('data', ring.sign('data'))).toBe(true);
    expect(ring.verify('other', ring.sign('data'))).toBe(false);
    // Retired: once the previous secret leaves the ring, its MACs fail.
    expect(new HmacKeyRing([current]).verify('data', oldRing.sign('data'))).toBe(false);
    expect(ring.signAll('d')).toHaveLength(2);
  });

  it('refuses short or missing secrets', () => {
    expect(() => new HmacKeyRing('short')).toThrow(/at least 32 bytes/);
    expect(() => new HmacKeyRing([])).toThrow(/at least one/);
  });

  it('compares MACs in constant time and by length', () => {
    expect(macEquals('abc', 'abc')).toBe(true);
    expect(macEquals('abc', 'abd')).toBe(false);
    expect(macEquals('abc', 'abcd')).toBe(false);
  });
});
