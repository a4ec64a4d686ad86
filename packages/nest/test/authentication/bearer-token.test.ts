import { describe, expect, it } from 'vitest';
import { extractBearerToken, isBearerPresented } from '../../src/authentication/bearer-token.js';
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
