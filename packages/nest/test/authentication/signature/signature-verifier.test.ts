import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { messageOf } from '../../../src/authentication/signature/http-message.js';
import { RequestSigner, type RequestSignerOptions, type SignOverrides } from '../../../src/authentication/signature/request-signer.js';
import { resolveSignatureOptions } from '../../../src/authentication/signature/signature-config.js';
import type { SignatureKeyOptions, SignatureKeySource } from '../../../src/authentication/signature/signature-keys.js';
import type { SignatureOptions } from '../../../src/authentication/signature/signature-options.js';
import { SignatureVerifier, type SignedRequest } from '../../../src/authentication/signature/signature-verifier.js';
import { MemorySecurityStore } from '../../../src/stores/memory-security.store.js';
import { rememberOnce } from '../../../src/stores/security-state.interface.js';
import { recordSecret } from '../../support/secrets.js';

const NOW = 1_750_000_000_000;
const SECONDS = NOW / 1000;
const ed = generateKeyPairSync('ed25519');
const secret = recordSecret(randomBytes(32).toString('base64url'));

const KEYS: SignatureKeyOptions[] = [
  { keyid: 'ed-1', alg: 'ed25519', key: ed.publicKey, owner: 'worker', scopes: ['orders:export'] },
  { keyid: 'mac-1', alg: 'hmac-sha256', key: secret, owner: 'mac-client' },
];

function setup(options: Partial<SignatureOptions> = {}, keys: SignatureKeySource | undefined = undefined) {
  const config = resolveSignatureOptions({ keys: KEYS, ...options } as SignatureOptions)!;
  const store = new MemorySecurityStore();
  let now = NOW;
  const verifier = new SignatureVerifier(config, keys ?? (config.keySource as SignatureKeySource), { now: () => now, rememberOnce: (k, ttl) => rememberOnce(store, k, ttl) });
  return { verifier, setNow: (ms: number) => (now = ms) };
}

const signer = (options: Partial<RequestSignerOptions> = {}) => new RequestSigner({ keyid: 'ed-1', alg: 'ed25519', key: ed.privateKey, ...options });

function signed(
  s: RequestSigner,
  init: { method?: string; url?: string; headers?: [string, string][]; body?: string } = {},
  overrides: SignOverrides = { created: SECONDS },
): SignedRequest {
  const method = init.method ?? 'GET';
  const url = init.url ?? 'https://api.example.com/orders?page=2';
  const headers = [...(init.headers ?? [])];
  const added = s.sign({ method, url, headers, body: init.body }, overrides);
  for (const [n, v] of Object.entries(added)) headers.push([n, v]);
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  return { message: messageOf({ method, url, headers }), signatureInput: headers.filter(([n]) => n === 'signature-input').map(([, v]) => v), signature: headers.filter(([n]) => n === 'signature').map(([, v]) => v), hasBody: body !== undefined && body.length > 0, body };
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as { reason?: string }).reason ?? String(error);
  }
}

describe('SignatureVerifier', () => {
  it('verifies ed25519 and hmac-sha256 signatures and returns the key owner, scopes and parameters', async () => {
    const { verifier } = setup();
    const verified = await verifier.verify(signed(signer()));
    expect(verified.key.owner).toBe('worker');
    expect(verified.key.scopes).toEqual(['orders:export']);
    expect(verified.covered).toEqual(['"@method"', '"@target-uri"']);
    expect(verified.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const mac = await verifier.verify(signed(signer({ keyid: 'mac-1', alg: 'hmac-sha256', key: secret }), { method: 'POST', body: '{"a":1}', headers: [['content-type', 'application/json']] }));
    expect(mac.key.owner).toBe('mac-client');
    expect(mac.covered).toEqual(['"@method"', '"@target-uri"', '"content-digest"', '"content-type"']);
  });

  it('refuses tampering with any covered part', async () => {
    const { verifier } = setup();
    const ok = signed(signer(), { method: 'POST', body: '{"a":1}' });
    const withMessage = (patch: Partial<ReturnType<typeof messageOf>>) => ({ ...ok, message: { ...ok.message, ...patch } });
    expect(await reasonOf(verifier.verify(withMessage({ method: 'PUT' })))).toBe('ERR_SIGNATURE_INVALID');
    expect(await reasonOf(verifier.verify(withMessage({ target: '/orders?page=3' })))).toBe('ERR_SIGNATURE_INVALID');
    expect(await reasonOf(verifier.verify(withMessage({ authority: 'evil.example.com' })))).toBe('ERR_SIGNATURE_INVALID');
    expect(await reasonOf(verifier.verify(withMessage({ scheme: 'http' })))).toBe('ERR_SIGNATURE_INVALID');
    expect(await reasonOf(verifier.verify({ ...ok, body: Buffer.from('{"a":2}') }))).toBe('ERR_DIGEST_MISMATCH');
    expect(await reasonOf(verifier.verify({ ...ok, body: undefined }))).toBe('ERR_DIGEST_UNVERIFIABLE');
    const digest = ok.message.fieldLines('content-digest');
    expect(await reasonOf(verifier.verify(withMessage({ fieldLines: (n) => (n === 'content-digest' ? [digest[0]!.replace(/.:$/, 'A:')] : ok.message.fieldLines(n)) })))).toBe('ERR_SIGNATURE_INVALID');
    const value = ok.signature[0]!;
    const other = value[6] === 'A' ? 'B' : 'A';
    expect(await reasonOf(verifier.verify({ ...ok, signature: [`${value.slice(0, 6)}${other}${value.slice(7)}`] }))).toBe('ERR_SIGNATURE_INVALID');
    // And the untouched request verifies (tampering was the only difference).
    expect(await reasonOf(verifier.verify(ok))).toBe('ok');
  });

  it('enforces created, expires and the clock tolerance', async () => {
    const { verifier } = setup({ maxAge: 60, clockTolerance: 5 });
    expect(await reasonOf(verifier.verify(signed(signer(), {}, { created: SECONDS - 70 })))).toBe('ERR_SIGNATURE_STALE');
    expect(await reasonOf(verifier.verify(signed(signer(), {}, { created: SECONDS - 64 })))).toBe('ok');
    expect(await reasonOf(verifier.verify(signed(signer(), {}, { created: SECONDS + 10 })))).toBe('ERR_SIGNATURE_FUTURE');
    expect(await reasonOf(verifier.verify(signed(signer(), {}, { created: SECONDS + 4 })))).toBe('ok');
    expect(await reasonOf(verifier.verify(signed(signer(), {}, { created: SECONDS - 30, expires: SECONDS - 10 })))).toBe('ERR_SIGNATURE_EXPIRED');
    expect(await reasonOf(verifier.verify(signed(signer(), {}, { created: SECONDS, expires: SECONDS - 1 })))).toBe('ERR_SIGNATURE_PARAMS');
    expect(await reasonOf(verifier.verify(signed(signer(), {}, { created: SECONDS - 1, expires: SECONDS + 30 })))).toBe('ok');
  });

  it('takes the algorithm from the key, never from the message', async () => {
    const { verifier } = setup();
    // Signed by the HMAC key holder but claiming ed-1 with alg hmac-sha256: the key's algorithm wins.
    const forged = signed(signer({ keyid: 'ed-1', alg: 'hmac-sha256', key: secret }));
    expect(await reasonOf(verifier.verify(forged))).toBe('ERR_ALGORITHM_MISMATCH');
    const withoutAlg = signed(signer({ keyid: 'ed-1', alg: 'hmac-sha256', key: secret, includeAlg: false }));
    expect(await reasonOf(verifier.verify(withoutAlg))).toBe('ERR_SIGNATURE_INVALID');
  });

  it('requires @method and the target, and content-digest whenever there is a body', async () => {
    const { verifier } = setup();
    expect(await reasonOf(verifier.verify(signed(signer({ components: ['@method', '@path'] }))))).toBe('ERR_COMPONENT_MISSING');
    expect(await reasonOf(verifier.verify(signed(signer({ components: ['@method', '@authority', '@path', '@query'] }))))).toBe('ok');
    expect(await reasonOf(verifier.verify(signed(signer({ digest: false }), { method: 'POST', body: 'x' })))).toBe('ERR_DIGEST_NOT_COVERED');
    const strict = setup({ requiredComponents: ['@method', '@target-uri', 'x-tenant'] }).verifier;
    expect(await reasonOf(strict.verify(signed(signer())))).toBe('ERR_COMPONENT_MISSING');
    expect(await reasonOf(strict.verify(signed(signer({ components: ['@method', '@target-uri', 'x-tenant'] }), { headers: [['x-tenant', 't1']] })))).toBe('ok');
  });

  it('remembers nonces (or signature values) until the window closes: a replay is refused', async () => {
    const { verifier, setNow } = setup({ maxAge: 60 });
    const request = signed(signer());
    expect(await reasonOf(verifier.verify(request))).toBe('ok');
    expect(await reasonOf(verifier.verify(request))).toBe('ERR_SIGNATURE_REPLAYED');
    const noNonce = signed(signer({ nonce: false }));
    expect(await reasonOf(verifier.verify(noNonce))).toBe('ok');
    expect(await reasonOf(verifier.verify(noNonce))).toBe('ERR_SIGNATURE_REPLAYED');
    // Same nonce, another signature: still a replay of that nonce.
    const again = signed(signer(), { url: 'https://api.example.com/other' }, { created: SECONDS, nonce: request.message.fieldLines('signature-input')[0]!.match(/nonce="([^"]+)"/)![1]! });
    expect(await reasonOf(verifier.verify(again))).toBe('ERR_SIGNATURE_REPLAYED');
    // Once the window has closed the message is stale anyway.
    setNow(NOW + 70_000);
    expect(await reasonOf(verifier.verify(request))).toBe('ERR_SIGNATURE_STALE');
    expect(await reasonOf(setup({ requireNonce: true }).verifier.verify(signed(signer({ nonce: false }))))).toBe('ERR_NONCE_MISSING');
  });

  it('keys replay memory on the key id and the nonce or the signature bytes, however the Signature field spells them', async () => {
    const remembered: string[] = [];
    const config = resolveSignatureOptions({ keys: KEYS })!;
    const store = new MemorySecurityStore();
    const verifier = new SignatureVerifier(config, config.keySource as SignatureKeySource, { now: () => NOW, rememberOnce: (k, ttl) => (remembered.push(k), rememberOnce(store, k, ttl)) });
    // The stored key is the same across versions sharing one store: SHA-256 (base64url) of "<keyid>\n<n:nonce | s:signature>".
    const request = signed(signer(), {}, { created: SECONDS, nonce: 'nonce-1' });
    expect(await reasonOf(verifier.verify(request))).toBe('ok');
    expect(remembered.at(-1)).toBe(`sig:replay:${createHash('sha256').update('ed-1\nn:nonce-1').digest('base64url')}`);
    // Without a nonce, the signature value: the canonical spelling (read by the fast path) and the same
    // bytes without base64 padding (only the structured-field library reads it) are one signature.
    const noNonce = signed(signer({ nonce: false }));
    const value = noNonce.signature[0]!;
    expect(value).toMatch(/==:$/);
    const unpadded = { ...noNonce, signature: [value.replace(/=+:$/, ':')] };
    expect(await reasonOf(verifier.verify(unpadded))).toBe('ok');
    const bytes = Buffer.from(value.slice(value.indexOf(':') + 1, -1), 'base64');
    expect(remembered.at(-1)).toBe(`sig:replay:${createHash('sha256').update(`ed-1\ns:${bytes.toString('base64')}`).digest('base64url')}`);
    expect(await reasonOf(verifier.verify(noNonce))).toBe('ERR_SIGNATURE_REPLAYED');
    expect(remembered.at(-1)).toBe(remembered.at(-2));
  });

  it('fails closed when the replay store or the key source cannot answer', async () => {
    const config = resolveSignatureOptions({ keys: KEYS })!;
    const broken = new SignatureVerifier(config, config.keySource as SignatureKeySource, { now: () => NOW, rememberOnce: async () => Promise.reject(new Error('down')) });
    expect(await reasonOf(broken.verify(signed(signer())))).toBe('ERR_REPLAY_UNAVAILABLE');
    const { verifier } = setup({}, { find: async () => Promise.reject(new Error('db down')) });
    expect(await reasonOf(verifier.verify(signed(signer())))).toBe('ERR_KEY_SOURCE_UNAVAILABLE');
  });

  it('honours key validity windows (rotation), revocation and allowed addresses', async () => {
    const at = (s: number) => new Date(NOW + s * 1000);
    const keys: SignatureKeySource = {
      find: async (keyid) =>
        ({
          old: { keyid: 'old', alg: 'ed25519', key: ed.publicKey, owner: 'w', notAfter: at(10) },
          next: { keyid: 'next', alg: 'ed25519', key: ed.publicKey, owner: 'w', notBefore: at(5) },
          gone: { keyid: 'gone', alg: 'ed25519', key: ed.publicKey, owner: 'w', revoked: true },
          lan: { keyid: 'lan', alg: 'ed25519', key: ed.publicKey, owner: 'w', allowedAddresses: ['10.0.0.0/8'] },
        })[keyid] as SignatureKeyOptions | undefined,
    };
    const { verifier, setNow } = setup({}, keys);
    const by = (keyid: string, created = SECONDS) => signed(signer({ keyid }), {}, { created });
    expect(await reasonOf(verifier.verify(by('old')))).toBe('ok');
    expect(await reasonOf(verifier.verify(by('next')))).toBe('ERR_KEY_NOT_YET_VALID');
    setNow(NOW + 20_000);
    expect(await reasonOf(verifier.verify(by('old', SECONDS + 20)))).toBe('ERR_KEY_EXPIRED');
    expect(await reasonOf(verifier.verify(by('next', SECONDS + 20)))).toBe('ok');
    expect(await reasonOf(verifier.verify(by('gone', SECONDS + 20)))).toBe('ERR_KEY_REVOKED');
    expect(await reasonOf(verifier.verify({ ...by('lan', SECONDS + 20), clientIp: '192.0.2.1' }))).toBe('ERR_KEY_ADDRESS');
    expect(await reasonOf(verifier.verify({ ...by('lan', SECONDS + 20), clientIp: '10.1.2.3' }))).toBe('ok');
    expect(await reasonOf(verifier.verify(by('unknown', SECONDS + 20)))).toBe('ERR_KEY_UNKNOWN');
  });

  it('chooses one signature deterministically and refuses ambiguity', async () => {
    const { verifier } = setup();
    const two = (a: RequestSigner, b: RequestSigner) => {
      const first = signed(a);
      const second = b.sign({ method: 'GET', url: 'https://api.example.com/orders?page=2' }, { created: SECONDS });
      return { ...first, signatureInput: [...first.signatureInput, second['signature-input']], signature: [...first.signature, second.signature] };
    };
    const foreign = new RequestSigner({ keyid: 'proxy-key', alg: 'ed25519', key: generateKeyPairSync('ed25519').privateKey, label: 'proxy' });
    expect((await verifier.verify(two(signer(), foreign))).key.keyid).toBe('ed-1');
    const mac = signer({ keyid: 'mac-1', alg: 'hmac-sha256', key: secret, label: 'sig2' });
    expect(await reasonOf(verifier.verify(two(signer(), mac)))).toBe('ERR_SIGNATURE_AMBIGUOUS');
    expect((await setup({ label: 'sig2' }).verifier.verify(two(signer(), mac))).key.keyid).toBe('mac-1');
    expect(await reasonOf(setup({ label: 'other' }).verifier.verify(signed(signer())))).toBe('ERR_SIGNATURE_MISSING');
    expect(await reasonOf(verifier.verify(two(foreign, new RequestSigner({ keyid: 'x', alg: 'ed25519', key: ed.privateKey, label: 'x' }))))).toBe('ERR_KEY_UNKNOWN');
    expect(await reasonOf(setup({ tag: 'orders' }).verifier.verify(signed(signer())))).toBe('ERR_TAG_MISMATCH');
    expect(await reasonOf(setup({ tag: 'orders' }).verifier.verify(signed(signer({ tag: 'orders' }))))).toBe('ok');
  });

  it('refuses malformed and oversized Signature-Input/Signature as malformed (400), other input as invalid (401)', async () => {
    const { verifier } = setup();
    const ok = signed(signer());
    const malformed: [readonly string[], readonly string[]][] = [
      [['sig1=("@method"'], ok.signature],
      [ok.signatureInput, ['sig1=abc']],
      [ok.signatureInput, ['sig2=:AAAA:']],
      [['sig1="@method"'], ok.signature],
      [['sig1=(@method)'], ok.signature],
      [[`sig1=(${Array.from({ length: 33 }, (_, i) => `"x-${i}"`).join(' ')});created=1;keyid="ed-1"`], ok.signature],
      [Array.from({ length: 9 }, (_, i) => `s${i}=("@method");created=1;keyid="ed-1"`), Array.from({ length: 9 }, (_, i) => `s${i}=:AAAA:`)],
      [[`sig1=("@method");created=1;keyid="${'k'.repeat(9000)}"`], ok.signature],
    ];
    for (const [input, signature] of malformed) {
      expect(await reasonOf(verifier.verify({ ...ok, signatureInput: input, signature })), input[0]!.slice(0, 40)).toBe('ERR_SIGNATURE_MALFORMED');
    }
    const invalid: [string, string][] = [
      ['sig1=("@method" "@target-uri");keyid="ed-1"', 'ERR_CREATED_MISSING'],
      ['sig1=("@method" "@target-uri");created=1', 'ERR_KEYID_MISSING'],
      ['sig1=("@method" "@target-uri");created="1";keyid="ed-1"', 'ERR_SIGNATURE_PARAMS'],
      ['sig1=("@method" "@target-uri");created=1.5;keyid="ed-1"', 'ERR_SIGNATURE_PARAMS'],
      ['sig1=("@method" "@target-uri");created=1;keyid=ed', 'ERR_SIGNATURE_PARAMS'],
    ];
    for (const [input, reason] of invalid) expect(await reasonOf(verifier.verify({ ...ok, signatureInput: [input] })), input).toBe(reason);
  });
});
