import { describe, expect, it } from 'vitest';
import { identityFromIntrospection } from '../../src/authentication/introspection/introspection-response.js';
import { resolveIssuers } from '../../src/authentication/issuers/resolve-issuers.js';
import { JwtRejection } from '../../src/authentication/jwt/jwt-errors.js';

const [config] = resolveIssuers({ issuers: [{ issuer: 'https://id.example', audience: 'api', introspection: { endpoint: 'https://id.example/i', clientId: 'api', clientSecret: 'a-client-secret-long-enough' } }] });
const [lenient] = resolveIssuers({ issuers: [{ issuer: 'https://id.example', audience: 'api', introspection: { endpoint: 'https://id.example/i', clientId: 'api', clientSecret: 'a-client-secret-long-enough', requireAudience: false } }] });
const now = Math.floor(Date.now() / 1000);
const active = (extra: Record<string, unknown> = {}) => ({ active: true, iss: 'https://id.example', aud: 'api', sub: 'alice', client_id: 'web', scope: 'a b', exp: now + 60, iat: now, ...extra });

function outcome(response: Record<string, unknown>, c = config!): string {
  try {
    const result = identityFromIntrospection(response, c, now);
    return result === 'inactive' ? 'inactive' : 'active';
  } catch (error) {
    return (error as JwtRejection).reason;
  }
}

describe('identityFromIntrospection (RFC 7662 §2.2)', () => {
  it('maps an active response: subject, client, scopes, cnf; `active` itself is not a claim', () => {
    const identity = identityFromIntrospection(active({ cnf: { 'x5t#S256': 'abc' }, jti: 'j1' }), config!, now);
    expect(identity).toMatchObject({ issuer: 'https://id.example', subject: 'alice', clientId: 'web', scopes: ['a', 'b'], tokenId: 'j1', expiresAt: now + 60, claims: { cnf: { 'x5t#S256': 'abc' } } });
    expect(identity).not.toHaveProperty('claims.active');
  });

  it('`active` must be the boolean true: false is inactive; "true", 1 or absent is a malformed response', () => {
    expect(outcome({ active: false })).toBe('inactive');
    expect(outcome(active({ active: 'true' }))).toBe('ERR_INTROSPECTION_RESPONSE_INVALID');
    expect(outcome(active({ active: 1 }))).toBe('ERR_INTROSPECTION_RESPONSE_INVALID');
    expect(outcome({ sub: 'alice', aud: 'api' })).toBe('ERR_INTROSPECTION_RESPONSE_INVALID');
  });

  it('checks issuer, audience, token type, times and claim types', () => {
    expect(outcome(active({ iss: 'https://evil.example' }))).toBe('ERR_ISSUER_MISMATCH');
    expect(outcome(active({ iss: undefined }))).toBe('active');
    expect(outcome(active({ aud: ['other', 'api'] }))).toBe('active');
    expect(outcome(active({ aud: 'other' }))).toBe('ERR_AUDIENCE_MISMATCH');
    expect(outcome(active({ aud: undefined }))).toBe('ERR_AUDIENCE_MISSING');
    expect(outcome(active({ aud: undefined }), lenient!)).toBe('active');
    expect(outcome(active({ aud: 'other' }), lenient!)).toBe('ERR_AUDIENCE_MISMATCH');
    expect(outcome(active({ token_type: 'Bearer' }))).toBe('active');
    expect(outcome(active({ token_type: 'DPoP' }))).toBe('active');
    expect(outcome(active({ token_type: 'refresh_token' }))).toBe('ERR_TYPE_REJECTED');
    expect(outcome(active({ exp: now - 60 }))).toBe('ERR_TOKEN_EXPIRED');
    expect(outcome(active({ exp: undefined }))).toBe('active');
    expect(outcome(active({ nbf: now + 600 }))).toBe('ERR_TOKEN_NOT_YET_VALID');
    expect(outcome(active({ scope: ['a'] }))).toBe('ERR_CLAIM_INVALID');
    expect(outcome(active({ exp: '123' }))).toBe('ERR_CLAIM_INVALID');
    expect(outcome(active({ sub: undefined, client_id: undefined }))).toBe('ERR_SUBJECT_MISSING');
  });
});
