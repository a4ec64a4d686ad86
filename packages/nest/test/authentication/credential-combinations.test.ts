import { describe, expect, it } from 'vitest';
import type { Authenticator } from '../../src/core/authenticator.js';
import type { CredentialType } from '../../src/core/principal.js';
import { selectAuthenticator, type CombinedAuthenticator } from '../../src/authentication/credential-combinations.js';
import { boundaryViolation, credentialNamedAt } from '../../src/authorization/boundaries.js';

const auth = (credential: CredentialType) => ({ credential, isPresented: () => true, authenticate: async () => ({}) }) as unknown as Authenticator;
const jwt = auth('jwt');
const apiKey = auth('api-key');
const signature = auth('signature');
const pair = { ...auth('api-key'), credentials: ['api-key', 'signature'] } as CombinedAuthenticator;

describe('selectAuthenticator', () => {
  it('picks the one credential accepted alone, or the combination the route accepts', () => {
    expect(selectAuthenticator([], [pair], 'any')).toBeUndefined();
    expect(selectAuthenticator([jwt], [pair], 'any')).toEqual({ authenticator: jwt });
    expect(selectAuthenticator([apiKey], [pair], ['api-key'])).toEqual({ authenticator: apiKey });
    expect(selectAuthenticator([apiKey, signature], [pair], [['api-key', 'signature']])).toEqual({ authenticator: pair });
    expect(selectAuthenticator([signature, apiKey], [pair], [['signature', 'api-key'], 'jwt'])).toEqual({ authenticator: pair });
    expect(selectAuthenticator([apiKey, signature], [pair], 'any')).toEqual({ authenticator: pair });
  });

  it('refuses a credential that is only accepted together with another (incomplete) and unrelated pairs (ambiguous)', () => {
    expect(selectAuthenticator([apiKey], [pair], [['api-key', 'signature']])).toEqual({ refuse: 'ERR_CREDENTIAL_INCOMPLETE' });
    expect(selectAuthenticator([signature], [pair], [['api-key', 'signature']])).toEqual({ refuse: 'ERR_CREDENTIAL_INCOMPLETE' });
    expect(selectAuthenticator([jwt, apiKey], [pair], 'any')).toEqual({ refuse: 'ERR_MULTIPLE_CREDENTIALS' });
    expect(selectAuthenticator([apiKey, signature], [pair], ['api-key', 'signature'])).toEqual({ refuse: 'ERR_MULTIPLE_CREDENTIALS' });
    expect(selectAuthenticator([apiKey, signature], [], [['api-key', 'signature']])).toEqual({ refuse: 'ERR_MULTIPLE_CREDENTIALS' });
  });
});

describe('boundaries with combinations', () => {
  const principal = (credential: CredentialType, combined?: CredentialType[]) =>
    ({ subject: 's', scopes: new Set<string>(), roles: new Set<string>(), credential, combined, claims: {} }) as never;
  const boundary = (accept: (CredentialType | CredentialType[])[]) => ({ name: 'b', options: { accept } });

  it('accepts a combined principal only where its combination (or its credential alone) is a way in', () => {
    expect(boundaryViolation(boundary([['api-key', 'signature']]), principal('api-key', ['api-key', 'signature']))).toBeUndefined();
    expect(boundaryViolation(boundary([['api-key', 'signature']]), principal('api-key'))).toMatch(/api-key not accepted/);
    expect(boundaryViolation(boundary(['api-key']), principal('api-key', ['api-key', 'signature']))).toBeUndefined();
    expect(boundaryViolation(boundary(['signature']), principal('api-key', ['api-key', 'signature']))).toMatch(/api-key\+signature not accepted/);
  });

  it('names the option path of a credential type, inside combinations too', () => {
    const config = { boundaries: { a: { accept: ['jwt' as const] }, b: { accept: ['mtls' as const, ['api-key', 'signature'] as CredentialType[]] } } };
    expect(credentialNamedAt(config, 'jwt')).toBe('boundaries.a.accept[0]');
    expect(credentialNamedAt(config, 'signature')).toBe('boundaries.b.accept[1][1]');
    expect(credentialNamedAt(config, 'introspection')).toBeUndefined();
  });
});
