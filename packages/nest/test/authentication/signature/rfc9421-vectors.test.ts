import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importVerificationKey, verifyBytes, type SignatureAlgorithm } from '../../../src/authentication/signature/algorithms.js';
import { messageOf } from '../../../src/authentication/signature/http-message.js';
import { RequestSigner } from '../../../src/authentication/signature/request-signer.js';
import { signatureBase } from '../../../src/authentication/signature/signature-base.js';
import { resolveSignatureOptions } from '../../../src/authentication/signature/signature-config.js';
import { parseSignatureHeaders } from '../../../src/authentication/signature/signature-headers.js';
import { SignatureVerifier } from '../../../src/authentication/signature/signature-verifier.js';
import { recordSecret } from '../../support/secrets.js';
import { rfc9421, vectorMessage } from './vectors.js';

const LIMITS = { maxFieldBytes: 8192, maxSignatures: 8, maxComponents: 32 };
const REQUEST = rfc9421.messages['test-request']!;
const requestMessage = () => vectorMessage({ ...REQUEST, method: 'POST', request_target: '/foo?param=Value&Pet=dog' });
const responseMessage = () => {
  const res = rfc9421.messages['test-response']!;
  // The vectors file's warning: the WG text's response Content-Digest is not the body's; B.2.4 signs the correct one.
  const headers = res.headers_in_order.map(([n, v]): [string, string] => (n === 'Content-Digest' ? [n, (res as unknown as { content_digest_header_correct_for_body: string }).content_digest_header_correct_for_body] : [n, v]));
  return { ...messageOf({ method: 'GET', url: 'https://example.com/', headers }), status: 200 };
};

function publicKey(keyid: string) {
  const k = rfc9421.keys[keyid]!;
  if (k.base64) return recordSecret(k.base64);
  return createPublicKey(k.public_key_pem!);
}

function privateKey(keyid: string) {
  const k = rfc9421.keys[keyid]!;
  return k.base64 ? recordSecret(k.base64) : createPrivateKey(k.private_key_pem!);
}

describe('RFC 9421 Appendix B.2 vectors', () => {
  it.each(rfc9421.signatures_B2.map((v) => [v.rfc_section, v] as const))('%s: the signature base is rebuilt byte for byte and the signature verifies', (_section, v) => {
    const [entry] = parseSignatureHeaders([v.signature_input_header], [v.signature_header], LIMITS);
    expect(entry!.label).toBe(v.label);
    const message = v.message === 'test-response' ? responseMessage() : requestMessage();
    const base = signatureBase(message, entry!.covered, entry!.params);
    expect(base).toBe(v.signature_base);
    // The canonical Signature-Input's member text is kept and gives the same base as writing it anew.
    expect(entry!.signatureParams).toBe(v.signature_input_member_value);
    expect(signatureBase(message, entry!.covered, entry!.params, undefined, entry!.signatureParams)).toBe(v.signature_base);
    // Written another way (valid, not canonical), the field is read by the library and the base written anew.
    const [spaced] = parseSignatureHeaders([v.signature_input_header.replace(/;/g, '; ')], [v.signature_header], LIMITS);
    expect(spaced!.signatureParams).toBeUndefined();
    expect(signatureBase(message, spaced!.covered, spaced!.params, undefined, spaced!.signatureParams)).toBe(v.signature_base);
    const key = importVerificationKey(v.alg as SignatureAlgorithm, publicKey(v.keyid));
    expect(verifyBytes(v.alg as SignatureAlgorithm, key, Buffer.from(base, 'ascii'), entry!.signature)).toBe(true);
    // One flipped bit in the base and the signature no longer verifies.
    const tampered = Buffer.from(base, 'ascii');
    tampered[tampered.length - 2]! ^= 1;
    expect(verifyBytes(v.alg as SignatureAlgorithm, key, tampered, entry!.signature)).toBe(false);
  });

  it('two signatures in one Signature-Input: each signature base is written from the parsed value', () => {
    const [a, b] = [rfc9421.signatures_B2[0]!, rfc9421.signatures_B2[1]!];
    const entries = parseSignatureHeaders([a.signature_input_header, b.signature_input_header], [a.signature_header, b.signature_header], LIMITS);
    expect(entries.map((e) => e.label)).toEqual([a.label, b.label]);
    for (const [entry, v] of [[entries[0]!, a], [entries[1]!, b]] as const) {
      expect(entry.signatureParams).toBeUndefined();
      expect(signatureBase(requestMessage(), entry.covered, entry.params, undefined, entry.signatureParams)).toBe(v.signature_base);
    }
  });

  it.each(['B.2.5', 'B.2.6'])('%s: the signer reproduces Signature-Input and Signature byte for byte', (section) => {
    const v = rfc9421.signatures_B2.find((s) => s.rfc_section === section)!;
    const [entry] = parseSignatureHeaders([v.signature_input_header], [v.signature_header], LIMITS);
    const signer = new RequestSigner({
      keyid: v.keyid,
      alg: v.alg as SignatureAlgorithm,
      key: privateKey(v.keyid),
      label: v.label,
      components: entry!.covered.map((c) => String(c[0])),
      digest: false,
      nonce: false,
      includeAlg: false,
    });
    const headers = signer.sign({ method: 'POST', url: REQUEST.url_for_libraries!, headers: REQUEST.headers_in_order, body: REQUEST.body }, { created: 1618884473 });
    expect(headers['signature-input']).toBe(v.signature_input_header);
    expect(headers.signature).toBe(v.signature_header);
    expect(headers['content-digest']).toBeUndefined();
  });

  it('B.2.3 passes the whole verifier (default required components, Content-Digest against the body, replay memory)', async () => {
    const v = rfc9421.signatures_B2.find((s) => s.rfc_section === 'B.2.3')!;
    const config = resolveSignatureOptions({ keys: [{ keyid: v.keyid, alg: 'rsa-pss-sha512', key: rfc9421.keys[v.keyid]!.public_key_pem!, owner: 'vector-client' }] })!;
    const remembered = new Set<string>();
    const verifier = new SignatureVerifier(config, config.keySource as never, {
      now: () => 1618884473_000 + 10_000,
      rememberOnce: async (key) => (remembered.has(key) ? false : (remembered.add(key), true)),
    });
    const request = { message: requestMessage(), signatureInput: [v.signature_input_header], signature: [v.signature_header], hasBody: true, body: Buffer.from(REQUEST.body!) };
    const verified = await verifier.verify(request);
    expect(verified.key.owner).toBe('vector-client');
    expect(verified.covered).toContain('"content-digest"');
    await expect(verifier.verify(request)).rejects.toMatchObject({ reason: 'ERR_SIGNATURE_REPLAYED' });
    await expect(verifier.verify({ ...request, body: Buffer.from('{"hello": "World"}') })).rejects.toMatchObject({ reason: 'ERR_DIGEST_MISMATCH' });
  });

  it('B.3: the proxy signature over the request it forwards (with Client-Cert) verifies', () => {
    const b3 = rfc9421.proxy_example_B3;
    const lines = b3.signed_request.headers_in_order;
    const input = lines.filter(([n]) => n === 'Signature-Input').map(([, v]) => v);
    const sig = lines.filter(([n]) => n === 'Signature').map(([, v]) => v);
    const [entry] = parseSignatureHeaders(input, sig, LIMITS);
    const base = signatureBase(vectorMessage(b3.signed_request), entry!.covered, entry!.params);
    expect(base).toBe(b3.signature_base);
    const key = importVerificationKey('ecdsa-p256-sha256', publicKey('test-key-ecc-p256'));
    expect(verifyBytes('ecdsa-p256-sha256', key, Buffer.from(base, 'ascii'), entry!.signature)).toBe(true);
  });

  it.each(rfc9421.transformations_B4.cases.map((c) => [c.description, c] as const))('B.4 "%s"', (_description, c) => {
    const lines = c.message.headers_in_order;
    const [entry] = parseSignatureHeaders(
      lines.filter(([n]) => n === 'Signature-Input').map(([, v]) => v),
      lines.filter(([n]) => n === 'Signature').map(([, v]) => v),
      LIMITS,
    );
    const key = importVerificationKey('ed25519', publicKey('test-key-ed25519'));
    let verified: boolean;
    try {
      verified = verifyBytes('ed25519', key, Buffer.from(signatureBase(vectorMessage(c.message), entry!.covered, entry!.params), 'ascii'), entry!.signature);
    } catch {
      verified = false;
    }
    expect(verified).toBe(c.signature_must_verify);
  });
});
