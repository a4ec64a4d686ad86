import { describe, expect, it } from 'vitest';
import { assertToken68, bearerCandidate, extractBearerToken, isBearerPresented } from '../../src/authentication/bearer-token.js';
import type { RequestContext } from '../../src/core/request-context.js';
import { InvalidRequestException } from '../../src/errors/bastion.exception.js';
import { fakeContext } from '../support/request-context.js';

function req(rawHeaders: string[], url = '/x', body?: unknown): RequestContext {
  return fakeContext({ rawHeaders, url, body });
}

function reasonOf(r: RequestContext): string | undefined {
  try {
    return `token:${extractBearerToken(r)}`;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestException);
    return (error as InvalidRequestException).reason;
  }
}

describe('bearer token extraction (RFC 6750 §2.1)', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])('accepts scheme %s', (scheme) => {
    expect(reasonOf(req(['Authorization', `${scheme} abc.def-_~+/=`]))).toBe('token:abc.def-_~+/=');
  });

  it.each([
    ['trailing garbage', 'Bearer abc def', 'ERR_BEARER_MALFORMED'],
    ['two tokens in one header', 'Bearer a, Bearer b', 'ERR_BEARER_MALFORMED'],
    ['empty token', 'Bearer', 'ERR_BEARER_EMPTY'],
    ['tab separator', 'Bearer\tabc', 'ERR_BEARER_MALFORMED'],
    ['quotes', 'Bearer "abc"', 'ERR_BEARER_MALFORMED'],
    ['padding in the middle', 'Bearer ab=c', 'ERR_BEARER_MALFORMED'],
  ])('refuses %s with invalid_request', (_name, value, reason) => {
    expect(reasonOf(req(['Authorization', value]))).toBe(reason);
  });

  it('refuses several Authorization headers (which Node would silently drop)', () => {
    expect(reasonOf(req(['Authorization', 'Bearer a', 'authorization', 'Bearer b']))).toBe('ERR_AUTHORIZATION_REPEATED');
  });

  it('refuses tokens in the query string or a form body', () => {
    expect(reasonOf(req([], '/x?a=1&access_token=abc'))).toBe('ERR_TOKEN_IN_QUERY');
    expect(reasonOf(req([], '/x?access%5Ftoken=abc'))).toBe('ERR_TOKEN_IN_QUERY');
    expect(reasonOf(req(['Content-Type', 'application/x-www-form-urlencoded'], '/x', { access_token: 'abc' }))).toBe('ERR_TOKEN_IN_BODY');
    expect(isBearerPresented(req([], '/x?access_token=abc'))).toBe(true);
  });

  it('does not treat other schemes as a bearer credential', () => {
    expect(reasonOf(req(['Authorization', 'Basic dXNlcjpwYXNz']))).toBe('token:undefined');
    expect(isBearerPresented(req(['Authorization', 'Basic dXNlcjpwYXNz']))).toBe(false);
    expect(isBearerPresented(req(['Content-Type', 'application/json'], '/x', { access_token: 'data' }))).toBe(false);
    expect(isBearerPresented(req([]))).toBe(false);
  });
});

// The header reading as first written (a regex search for the first whitespace, then a regex strip of
// the SPs after it): the faster reading must agree with it on every value.
function referenceRead(value: string): string | undefined | 'ERR_BEARER_EMPTY' | 'ERR_BEARER_MALFORMED' {
  const space = value.search(/\s/);
  const scheme = space === -1 ? value : value.slice(0, space);
  const rest = space === -1 ? '' : value.slice(space).replace(/^ +/, '');
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(rest)) return rest === '' ? 'ERR_BEARER_EMPTY' : 'ERR_BEARER_MALFORMED';
  return rest;
}

describe('reading the Authorization header', () => {
  const pieces = ['Bearer', 'bearer', 'BEARER', 'Bearer2', 'Bear', 'Basic', 'bearér', 'B\u0130arer', ' ', '  ', '\t', '\u00a0', '\u2028', '\u3000', '\n', 'abc', 'a.b-c_d~e+f/g==', '=', '"x"', ',', 'ey.J', ''];
  function* values(): Generator<string> {
    for (const a of pieces) for (const b of pieces) for (const c of pieces) yield a + b + c;
  }

  it('agrees with the regex reading on every combination of schemes, whitespace and tokens', () => {
    let compared = 0;
    for (const value of values()) {
      const ctx = req(['Authorization', value]);
      const expected = referenceRead(value);
      const got = reasonOf(ctx);
      if (expected === undefined) {
        expect(got, JSON.stringify(value)).toBe('token:undefined');
        expect(isBearerPresented(ctx), JSON.stringify(value)).toBe(false);
      } else {
        expect(got, JSON.stringify(value)).toBe(expected.startsWith('ERR_') ? expected : `token:${expected}`);
        expect(isBearerPresented(ctx), JSON.stringify(value)).toBe(true);
      }
      compared++;
    }
    expect(compared).toBe(pieces.length ** 3);
  });

  it('leaves the token68 check of a candidate to assertToken68', () => {
    expect(bearerCandidate(req(['Authorization', 'Bearer  a b']))).toBe('a b');
    expect(() => assertToken68('a b')).toThrow(InvalidRequestException);
    expect(() => assertToken68('')).toThrow(InvalidRequestException);
    expect(() => assertToken68('abc.def')).not.toThrow();
    expect(() => bearerCandidate(req(['Authorization', 'Bearer a', 'Authorization', 'Bearer b']))).toThrow(InvalidRequestException);
  });
});
