import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveSignatureOptions } from '../../../src/authentication/signature/signature-config.js';
import type { SignatureOptions } from '../../../src/authentication/signature/signature-options.js';
import { resolveConfig } from '../../../src/options/resolve-config.js';

const ed = generateKeyPairSync('ed25519').publicKey;
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
const key = { keyid: 'k', alg: 'ed25519' as const, key: ed, owner: 'o' };

describe('signature options', () => {
  it('applies safe defaults', () => {
    const config = resolveSignatureOptions({ keys: [key] })!;
    expect(config).toMatchObject({ maxAge: 300, clockTolerance: 5, requireNonce: false, limits: { maxFieldBytes: 8192, maxSignatures: 8, maxComponents: 32 } });
    expect(config.required).toEqual([['"@method"', '"@target-uri"'], ['"@method"', '"@authority"', '"@path"', '"@query"']]);
    expect(resolveSignatureOptions({ keys: [key], requiredComponents: ['@method', '@target-uri', '@query-param;name="id"'] })!.required).toEqual([['"@method"', '"@target-uri"', '"@query-param";name="id"']]);
  });

  it.each([
    [{}, '"signature.keys" is required'],
    [{ keys: [key], keySource: 'api-keys' }, '"signature.keys" is required (or "keySource" instead; exactly one of the two)'],
    [{ keys: [] }, '"signature.keys" must be a non-empty array'],
    [{ keys: [{ ...key, alg: 'hs256' }] }, '"signature.keys[0].alg" must be one of'],
    [{ keys: [key, key] }, '"signature.keys[1].keyid" appears twice'],
    [{ keys: [{ ...key, owner: '' }] }, '"signature.keys[0].owner"'],
    [{ keys: [{ ...key, alg: 'hmac-sha256', key: 'c2hvcnQ' }] }, '"signature.keys[0].key" an hmac-sha256 secret must be at least 32 bytes'],
    [{ keys: [{ ...key, alg: 'rsa-pss-sha512', key: rsa1024 }] }, '"signature.keys[0].key" the key does not fit rsa-pss-sha512 (RSA keys need 2048 bits or more)'],
    [{ keys: [{ ...key, alg: 'ecdsa-p256-sha256' }] }, '"signature.keys[0].key" the key does not fit ecdsa-p256-sha256'],
    [{ keys: [{ ...key, notBefore: '2026-02-01', notAfter: '2026-01-01' }] }, '"signature.keys[0].notAfter" must be after notBefore'],
    [{ keySource: 'db' }, '"signature.keySource" must be "api-keys" or an object with a find(keyid) method'],
    [{ keys: [key], maxAge: 86_400 }, '"signature.maxAge" must be at most 3600 seconds'],
    [{ keys: [key], clockTolerance: 3_600 }, '"signature.clockTolerance" must be at most 300 seconds'],
    [{ keys: [key], requiredComponents: ['@method', '@path'] }, '"signature.requiredComponents" must cover "@method" and the target'],
    [{ keys: [key], requiredComponents: [['@method', '@target-uri'], ['@authority', '@path', '@query']] }, '"signature.requiredComponents[1]" must cover "@method"'],
    [{ keys: [key], requiredComponents: ['@method', '@target-uri', '"unterminated'] }, '"signature.requiredComponents[2]" must be a component name'],
    [{ keys: [key], limits: { maxSignatures: 0 } }, '"signature.limits.maxSignatures" must be a positive number'],
  ] as [SignatureOptions, string][])('refuses %j', (options, message) => {
    expect(() => resolveSignatureOptions(options)).toThrow(message);
  });

  it('is validated with the other options at boot', () => {
    expect(() => resolveConfig({ signature: { keys: [{ ...key, alg: 'rsa-v1_5-sha256' }] } })).toThrow(/"signature.keys\[0\].key"/);
  });
});
