import { describe, expect, it } from 'vitest';
import type { Authenticator } from '../../src/core/authenticator.js';
import type { CredentialType } from '../../src/core/principal.js';
import { selectAuthenticator, type CombinedAuthenticator } from '../../src/authentication/credential-combinations.js';
import { boundaryViolation } from '../../src/authorization/boundaries.js';

const auth = (credential: CredentialType) => ({ credential, isPresented: () => true, authenticate: async () => ({}) }) as unknown as Authenticator;
const jwt = auth('jwt');
const apiKey = auth('api-key');
const signature = auth('signature');
const pair = { ...auth('api-key'), credentials: ['api-key', 'signature'] } as CombinedAuthenticator;

const ways = (alone: CredentialType[], combinations: CombinedAuthenticator[] = []) => ({ alone: new Set(alone), combinations });
const any = ways(['jwt', 'api-key', 'signature'], [pair]);

describe('selectAuthenticator', () => {
  it('picks the one credential accepted alone, or the combination the route accepts', () => {
    expect(selectAuthenticator([jwt], any)).toEqual({ authenticator: jwt });
    expect(selectAuthenticator([apiKey], ways(['api-key']))).toEqual({ authenticator: apiKey });
    expect(selectAuthenticator([apiKey, signature], ways([], [pair]))).toEqual({ authenticator: pair });
    expect(selectAuthenticator([signature, apiKey], ways(['jwt'], [pair]))).toEqual({ authenticator: pair });
    expect(selectAuthenticator([apiKey, signature], any)).toEqual({ authenticator: pair });
  });

  it('refuses a credential that is only accepted together with another (incomplete) and unrelated pairs (ambiguous)', () => {
    expect(selectAuthenticator([apiKey], ways([], [pair]))).toEqual({ refuse: 'ERR_CREDENTIAL_INCOMPLETE' });
    expect(selectAuthenticator([signature], ways([], [pair]))).toEqual({ refuse: 'ERR_CREDENTIAL_INCOMPLETE' });
    expect(selectAuthenticator([jwt, apiKey], any)).toEqual({ refuse: 'ERR_MULTIPLE_CREDENTIALS' });
    expect(selectAuthenticator([apiKey, signature], ways(['api-key', 'signature']))).toEqual({ refuse: 'ERR_MULTIPLE_CREDENTIALS' });
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
});
