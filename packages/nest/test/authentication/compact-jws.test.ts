import { describe, expect, it } from 'vitest';
import { claimedSubject, decodeSegment, parseCompactJws } from '../../src/authentication/jwt/compact-jws.js';
import { JwtRejection } from '../../src/authentication/jwt/jwt-errors.js';
import { parseStrictJsonObject } from '../../src/authentication/jwt/strict-json.js';
import { b64, forge } from './support/forge.js';

const HEADER = { alg: 'RS256', kid: 'k1', typ: 'JWT' };
const CLAIMS = { iss: 'https://id.example', sub: 'alice' };

function reasonOf(token: string): string {
  try {
    parseCompactJws(token);
    return 'parsed';
  } catch (error) {
    return error instanceof JwtRejection ? error.reason : `other: ${String(error)}`;
  }
}

describe('parseStrictJsonObject', () => {
  it('parses objects like JSON.parse', () => {
    const text = '{"a":1,"b":[true,null,"x\\u0041"],"c":{"d":-1.5e3},"__proto__":{"x":1}}';
    const value = parseStrictJsonObject(text);
    expect(value).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value!, '__proto__')).toBe(true);
  });

  it.each([
    ['duplicate member', '{"alg":"RS256","alg":"none"}'],
    ['duplicate after escape', '{"sub":"a","s\\u0075b":"b"}'],
    ['nested duplicate', '{"a":{"x":1,"x":2}}'],
    ['array', '[1]'],
    ['string', '"x"'],
    ['trailing data', '{} {}'],
    ['trailing comma', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['deep nesting', `${'['.repeat(100)}${']'.repeat(100)}`.replace(/^/, '{"a":').concat('}')],
    ['raw control char', '{"a":"x\ny"}'],
    ['bad literal', '{"a":tru}'],
    ['leading zero', '{"a":01}'],
    ['duplicate with whitespace before the colon', '{"a" :1,\n"a"\t: 2}'],
    ['duplicate name with an escaped quote', '{"a\\"b":1,"a\\"b":2}'],
    ['duplicate in an object inside an array', '{"a":[{"x":1},{"y":1,"y":2}]}'],
    ['duplicate __proto__', '{"__proto__":1,"__proto__":2}'],
    ['33 nested containers', `{"a":${'['.repeat(32)}${']'.repeat(32)}}`],
  ])('refuses %s', (_name, text) => {
    expect(parseStrictJsonObject(text)).toBeUndefined();
  });

  it.each([
    ['strings that look like member names', '{"a":"x\\":","b":["c:", "d"],"e":{"f":"\\"g\\":"}}'],
    ['equal names in different objects', '{"a":{"x":1},"b":{"x":1},"x":[{"x":2}]}'],
    ['32 nested containers', `{"a":${'['.repeat(31)}${']'.repeat(31)}}`],
  ])('accepts %s', (_name, text) => {
    expect(parseStrictJsonObject(text)).toEqual(JSON.parse(text));
  });

  it('is not confused by an enumerable property added to Object.prototype', () => {
    Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true, writable: true });
    try {
      expect(parseStrictJsonObject('{"a":1}')).toEqual({ a: 1 });
      expect(parseStrictJsonObject('{"a":1,"a":2}')).toBeUndefined();
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });
});

describe('decodeSegment', () => {
  it('accepts a segment exactly when it is canonical base64url (its re-encoding), for every last one or two characters', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const a of alphabet) {
      for (const b of ['', ...alphabet]) {
        for (const segment of [`QU${a}${b}`, `QUJD${a}${b}`]) {
          const canonical = Buffer.from(segment, 'base64url').toString('base64url') === segment;
          let accepted = true;
          try {
            expect(decodeSegment(segment, 'x').equals(Buffer.from(segment, 'base64url'))).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(JwtRejection);
            accepted = false;
          }
          expect([segment, accepted]).toEqual([segment, canonical]);
        }
      }
    }
  });
});

describe('parseCompactJws', () => {
  it('parses a well-formed token', () => {
    const parsed = parseCompactJws(forge(HEADER, CLAIMS));
    expect(parsed).toMatchObject({ alg: 'RS256', kid: 'k1', typ: 'jwt', claims: CLAIMS });
  });

  it.each([
    ['two segments', `${b64(HEADER)}.${b64(CLAIMS)}`, 'ERR_TOKEN_MALFORMED'],
    ['four segments', `${forge(HEADER, CLAIMS)}.x`, 'ERR_TOKEN_MALFORMED'],
    ['five segments (JWE)', 'a.b.c.d.e', 'ERR_TOKEN_MALFORMED'],
    ['padding', `${b64(HEADER)}=.${b64(CLAIMS)}.c2ln`, 'ERR_TOKEN_MALFORMED'],
    ['standard base64 chars', `${b64(HEADER)}.${b64(CLAIMS).slice(0, -1)}+.c2ln`, 'ERR_TOKEN_MALFORMED'],
    ['non-canonical last char', `${b64(HEADER)}.${b64(CLAIMS)}.c2l`, 'ERR_TOKEN_MALFORMED'],
    ['invalid UTF-8', `${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.${b64(CLAIMS)}.c2ln`, 'ERR_TOKEN_MALFORMED'],
    ['header not an object', `${b64('[1]')}.${b64(CLAIMS)}.c2ln`, 'ERR_TOKEN_MALFORMED'],
    ['payload not JSON', `${b64(HEADER)}.${b64('hello')}.c2ln`, 'ERR_TOKEN_MALFORMED'],
    ['duplicate alg', `${b64('{"alg":"RS256","alg":"HS256"}')}.${b64(CLAIMS)}.c2ln`, 'ERR_TOKEN_MALFORMED'],
    ['duplicate sub', `${b64(HEADER)}.${b64('{"sub":"alice","sub":"admin"}')}.c2ln`, 'ERR_TOKEN_MALFORMED'],
    ['missing alg', forge({ typ: 'JWT' }, CLAIMS), 'ERR_TOKEN_MALFORMED'],
    ['numeric alg', forge({ alg: 256 }, CLAIMS), 'ERR_TOKEN_MALFORMED'],
    ['alg none', forge({ alg: 'none' }, CLAIMS, ''), 'ERR_ALGORITHM_REJECTED'],
    ['alg NoNe', forge({ alg: 'NoNe' }, CLAIMS), 'ERR_ALGORITHM_REJECTED'],
    ['jku', forge({ ...HEADER, jku: 'https://evil.example/jwks' }, CLAIMS), 'ERR_HEADER_FORBIDDEN'],
    ['x5u', forge({ ...HEADER, x5u: 'https://evil.example/cert' }, CLAIMS), 'ERR_HEADER_FORBIDDEN'],
    ['jwk', forge({ ...HEADER, jwk: { kty: 'oct', k: 'AA' } }, CLAIMS), 'ERR_HEADER_FORBIDDEN'],
    ['x5c', forge({ ...HEADER, x5c: ['MII='] }, CLAIMS), 'ERR_HEADER_FORBIDDEN'],
    ['crit', forge({ ...HEADER, crit: ['exp'], exp: 1 }, CLAIMS), 'ERR_HEADER_FORBIDDEN'],
    ['b64', forge({ ...HEADER, b64: false }, CLAIMS), 'ERR_HEADER_FORBIDDEN'],
    ['cty JWT (nested)', forge({ ...HEADER, cty: 'JWT' }, CLAIMS), 'ERR_HEADER_FORBIDDEN'],
    ['typ dpop+jwt', forge({ ...HEADER, typ: 'dpop+jwt' }, CLAIMS), 'ERR_TYPE_REJECTED'],
    ['typ secevent+jwt', forge({ ...HEADER, typ: 'secevent+jwt' }, CLAIMS), 'ERR_TYPE_REJECTED'],
    ['typ logout+jwt', forge({ ...HEADER, typ: 'application/logout+jwt' }, CLAIMS), 'ERR_TYPE_REJECTED'],
    ['typ number', forge({ ...HEADER, typ: 1 }, CLAIMS), 'ERR_TYPE_REJECTED'],
    ['empty kid', forge({ ...HEADER, kid: '' }, CLAIMS), 'ERR_TOKEN_MALFORMED'],
    ['empty signature', forge(HEADER, CLAIMS, ''), 'ERR_SIGNATURE_INVALID'],
    ['huge token', forge(HEADER, { pad: 'x'.repeat(20_000) }), 'ERR_TOKEN_TOO_LARGE'],
  ])('refuses %s', (_name, token, reason) => {
    expect(reasonOf(token)).toBe(reason);
  });

  it.each(['JWT', 'jwt', 'at+jwt', 'application/at+jwt', 'AT+JWT'])('accepts typ %s', (typ) => {
    expect(reasonOf(forge({ ...HEADER, typ }, CLAIMS))).toBe('parsed');
  });

  it('reads the claimed subject without verifying, and never throws', () => {
    expect(claimedSubject(forge(HEADER, CLAIMS))).toBe('alice');
    expect(claimedSubject('garbage')).toBeUndefined();
    expect(claimedSubject(forge(HEADER, { sub: 'a\nb' }))).toBeUndefined();
    expect(claimedSubject(forge(HEADER, { sub: 42 }))).toBeUndefined();
  });
});
