import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createSigner, createVerifier, httpbis } from 'http-message-signatures';
import { describe, expect, it } from 'vitest';
import type { SignatureAlgorithm } from '../../../src/authentication/signature/algorithms.js';
import { contentDigest } from '../../../src/authentication/signature/content-digest.js';
import { messageOf } from '../../../src/authentication/signature/http-message.js';
import { RequestSigner } from '../../../src/authentication/signature/request-signer.js';
import { resolveSignatureOptions } from '../../../src/authentication/signature/signature-config.js';
import type { SignatureKeySource } from '../../../src/authentication/signature/signature-keys.js';
import { SignatureVerifier } from '../../../src/authentication/signature/signature-verifier.js';
import { MemorySecurityStore } from '../../../src/stores/memory-security.store.js';
import { rememberOnce } from '../../../src/stores/security-state.interface.js';
import { recordSecret } from '../../support/secrets.js';

// Interop both ways with the independent `http-message-signatures` package (dhensby/node-http-message-signatures).
type Pair = { alg: SignatureAlgorithm; sign: KeyObject | Buffer; verify: KeyObject | Buffer };

const hmac = randomBytes(32);
recordSecret(hmac.toString('base64url'));
const PAIRS: Pair[] = [
  { alg: 'ed25519', ...pair(generateKeyPairSync('ed25519')) },
  { alg: 'ecdsa-p256-sha256', ...pair(generateKeyPairSync('ec', { namedCurve: 'P-256' })) },
  { alg: 'rsa-pss-sha512', ...pair(generateKeyPairSync('rsa', { modulusLength: 2048 })) },
  { alg: 'rsa-v1_5-sha256', ...pair(generateKeyPairSync('rsa', { modulusLength: 2048 })) },
  { alg: 'hmac-sha256', sign: hmac, verify: hmac },
];

function pair(p: { privateKey: KeyObject; publicKey: KeyObject }) {
  return { sign: p.privateKey, verify: p.publicKey };
}

const URL_ = 'https://orders.example.com/internal/orders/export?since=2026-01-01&limit=10';
const BODY = '{"item":"tea","quantity":2}';

function verifierFor(p: Pair) {
  const config = resolveSignatureOptions({ keys: [{ keyid: 'k1', alg: p.alg, key: p.verify, owner: 'peer' }] })!;
  const store = new MemorySecurityStore();
  return new SignatureVerifier(config, config.keySource as SignatureKeySource, { rememberOnce: (k, ttl) => rememberOnce(store, k, ttl) });
}

describe.each(PAIRS.map((p) => [p.alg, p] as const))('interop with http-message-signatures (%s)', (_alg, p) => {
  it('its signature verifies in Bastion', async () => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-digest': contentDigest(Buffer.from(BODY)) };
    const signed = await httpbis.signMessage(
      {
        key: createSigner(p.sign, p.alg, 'k1'),
        fields: ['@method', '@target-uri', 'content-type', 'content-digest'],
        params: ['created', 'keyid', 'alg', 'nonce'],
        paramValues: { nonce: randomBytes(12).toString('base64url') },
      },
      { method: 'POST', url: URL_, headers },
    );
    const lines = Object.entries(signed.headers).map(([n, v]): [string, string] => [n, String(v)]);
    const request = {
      message: messageOf({ method: 'POST', url: URL_, headers: lines }),
      signatureInput: [String(signed.headers['Signature-Input'] ?? signed.headers['signature-input'])],
      signature: [String(signed.headers.Signature ?? signed.headers.signature)],
      hasBody: true,
      body: Buffer.from(BODY),
    };
    const verified = await verifierFor(p).verify(request);
    expect(verified.key.owner).toBe('peer');
    // Tampering with the body is caught through the digest it signed.
    await expect(verifierFor(p).verify({ ...request, body: Buffer.from(BODY.replace('2', '3')) })).rejects.toMatchObject({ reason: 'ERR_DIGEST_MISMATCH' });
  });

  it('Bastion’s signature verifies with it', async () => {
    const signer = new RequestSigner({ keyid: 'k1', alg: p.alg, key: p.sign });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const added = signer.sign({ method: 'POST', url: URL_, headers, body: BODY });
    const message = { method: 'POST', url: URL_, headers: { ...headers, ...added } as Record<string, string> };
    const keyLookup = async (params: { keyid?: string }) => (params.keyid === 'k1' ? { id: 'k1', algs: [p.alg], verify: createVerifier(p.verify, p.alg) } : null);
    expect(await httpbis.verifyMessage({ keyLookup }, message)).toBe(true);
    const tampered = { ...message, url: URL_.replace('limit=10', 'limit=1000') };
    await expect(Promise.resolve().then(() => httpbis.verifyMessage({ keyLookup }, tampered))).resolves.not.toBe(true);
  });
});
