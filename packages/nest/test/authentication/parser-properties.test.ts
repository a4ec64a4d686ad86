import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCompactJws } from '../../src/authentication/jwt/compact-jws.js';
import { JwtRejection } from '../../src/authentication/jwt/jwt-errors.js';
import { parseStrictJsonObject } from '../../src/authentication/jwt/strict-json.js';

const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe('parser properties (fast-check)', () => {
  it('parseStrictJsonObject agrees with JSON.parse on every JSON object without duplicate names', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), (object) => {
        const text = JSON.stringify(object);
        expect(parseStrictJsonObject(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('parseStrictJsonObject refuses every object text that names a member twice, at any depth', () => {
    const member = fc.tuple(fc.string(), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(fc.array(member, { maxLength: 4 }), member, fc.array(member, { maxLength: 4 }), fc.boolean(), (before, twice, after, nested) => {
        const body = [...before, twice, ...after, twice].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',');
        const text = nested ? `{"outer":[1,{${body}}]}` : `{${body}}`;
        expect(parseStrictJsonObject(text)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('parseCompactJws fails only with a JwtRejection, on any input', () => {
    const segment = fc.oneof(fc.string(), fc.string().map(b64), fc.jsonValue().map((v) => b64(JSON.stringify(v))));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        try {
          parseCompactJws(segments.join('.'));
        } catch (error) {
          expect(error).toBeInstanceOf(JwtRejection);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('never accepts alg "none" in any letter case', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), (upper) => {
        const alg = [...'none'].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
        const token = `${b64(JSON.stringify({ alg }))}.${b64('{"iss":"x"}')}.`;
        expect(() => parseCompactJws(token)).toThrow(expect.objectContaining({ reason: 'ERR_ALGORITHM_REJECTED' }));
      }),
    );
  });
});
