import { describe, expect, it } from 'vitest';
import { renderChallenges } from '../../../src/authentication/dpop/dpop-challenge.js';

const both = { bearer: true, dpopAlgs: 'ES256 PS256' };
const none = { bearer: false, dpop: false };

describe('WWW-Authenticate with DPoP (RFC 9449 §7.1, §7.2)', () => {
  it('offers both schemes without an error when no credential was sent', () => {
    expect(renderChallenges('api', {}, both, none)).toBe('Bearer realm="api", DPoP realm="api", algs="ES256 PS256"');
  });

  it('puts the error on the challenge of the scheme used', () => {
    expect(renderChallenges('api', { error: 'invalid_token' }, both, { bearer: true, dpop: false })).toBe('Bearer realm="api", error="invalid_token", DPoP realm="api", algs="ES256 PS256"');
    expect(renderChallenges('api', { error: 'invalid_token' }, both, { bearer: false, dpop: true })).toBe('Bearer realm="api", DPoP realm="api", error="invalid_token", algs="ES256 PS256"');
    expect(renderChallenges('api', { error: 'invalid_request' }, both, { bearer: true, dpop: true })).toBe(
      'Bearer realm="api", error="invalid_request", DPoP realm="api", error="invalid_request", algs="ES256 PS256"',
    );
  });

  it('puts DPoP-only errors on the DPoP challenge, and insufficient_scope with its scope', () => {
    expect(renderChallenges('api', { error: 'use_dpop_nonce' }, both, none)).toBe('Bearer realm="api", DPoP realm="api", error="use_dpop_nonce", algs="ES256 PS256"');
    expect(renderChallenges('api', { error: 'insufficient_scope', scope: 'a b' }, both, { bearer: false, dpop: true })).toBe(
      'Bearer realm="api", DPoP realm="api", error="insufficient_scope", scope="a b", algs="ES256 PS256"',
    );
  });

  it('offers only DPoP on a required route (the bearer error goes there) and only Bearer on a disabled one', () => {
    expect(renderChallenges('api', { error: 'invalid_token' }, { bearer: false, dpopAlgs: 'ES256' }, { bearer: true, dpop: false })).toBe('DPoP realm="api", error="invalid_token", algs="ES256"');
    expect(renderChallenges('api', {}, { bearer: false, dpopAlgs: 'ES256' }, none)).toBe('DPoP realm="api", algs="ES256"');
    expect(renderChallenges('api', { error: 'invalid_token' }, { bearer: true, dpopAlgs: undefined }, { bearer: false, dpop: true })).toBe('Bearer realm="api", error="invalid_token"');
  });
});
