import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDpopProof } from '../../src/authentication/dpop/dpop-proof.js';
import { DpopSigner } from '../../src/oauth-client/dpop-signer.js';

interface Seen {
  method: string;
  url: string;
  dpop: string | undefined;
  authorization: string | undefined;
  body: string;
}

/** An authorization server's token endpoint (400 use_dpop_nonce) and a resource (401 use_dpop_nonce), both asking for nonce "n-1". */
async function nonceServer(): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const proof = req.headers.dpop as string | undefined;
    seen.push({ method: req.method!, url: req.url!, dpop: proof, authorization: req.headers.authorization, body: Buffer.concat(chunks).toString() });
    const nonce = proof ? (JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString()) as { nonce?: string }).nonce : undefined;
    if (nonce !== 'n-1') {
      if (req.url === '/token') res.writeHead(400, { 'content-type': 'application/json', 'dpop-nonce': 'n-1' }).end('{"error":"use_dpop_nonce"}');
      else res.writeHead(401, { 'www-authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"', 'dpop-nonce': 'n-1' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('DpopSigner (client side of RFC 9449)', () => {
  let signer: DpopSigner;
  let api: Awaited<ReturnType<typeof nonceServer>>;
  beforeAll(async () => {
    signer = await DpopSigner.generate();
    api = await nonceServer();
  });
  afterAll(() => new Promise<void>((resolve) => api.server.close(() => resolve())));

  it('signs proofs a server accepts: htm, htu without query, ath, fresh jti, its own thumbprint', async () => {
    const url = 'https://api.example.com/orders?page=2#x';
    const proof = await signer.proof({ method: 'POST', url, accessToken: 'tok' });
    const verified = await verifyDpopProof(proof, {
      method: 'POST',
      uris: ['https://api.example.com/orders'],
      accessToken: 'tok',
      algorithms: new Set(['ES256']),
      now: Date.now() / 1000,
      maxAge: 60,
      clockTolerance: 5,
    });
    expect(verified.jkt).toBe(signer.thumbprint);
    expect((await signer.proof({ method: 'POST', url })).split('.')[1]).not.toBe(proof.split('.')[1]);
    expect(signer.publicJwk).not.toHaveProperty('d');
  });

  it.each(['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'] as const)('makes %s keys', async (algorithm) => {
    const s = await DpopSigner.generate(algorithm);
    const header = JSON.parse(Buffer.from((await s.proof({ method: 'GET', url: 'https://a.example/' })).split('.')[0]!, 'base64url').toString());
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: algorithm });
    expect(Object.keys(header.jwk).sort()).toEqual(algorithm.startsWith('E') && algorithm !== 'EdDSA' ? ['crv', 'kty', 'x', 'y'] : algorithm === 'EdDSA' ? ['crv', 'kty', 'x'] : ['e', 'kty', 'n']);
  });

  it("retries once with the resource server's nonce (401 WWW-Authenticate: DPoP error=\"use_dpop_nonce\"), then reuses it", async () => {
    api.seen.length = 0;
    const res = await signer.fetch(`${api.url}/orders`, { accessToken: 'tok' });
    expect(res.status).toBe(200);
    expect(api.seen).toHaveLength(2);
    expect(api.seen[1]!.authorization).toBe('DPoP tok');
    expect((await signer.fetch(`${api.url}/orders`, { accessToken: 'tok' })).status).toBe(200);
    expect(api.seen).toHaveLength(3);
  });

  it("retries a token request with the authorization server's nonce (400 use_dpop_nonce), body included", async () => {
    const other = await DpopSigner.generate();
    api.seen.length = 0;
    const res = await other.fetch(`${api.url}/token`, { method: 'post', body: new URLSearchParams({ grant_type: 'client_credentials' }) });
    expect(res.status).toBe(200);
    expect(api.seen.map((s) => [s.method, s.body])).toEqual([
      ['POST', 'grant_type=client_credentials'],
      ['POST', 'grant_type=client_credentials'],
    ]);
    expect(api.seen[1]!.authorization).toBeUndefined();
  });

  it('does not resend a streamed body, but remembers the nonce for the next call', async () => {
    const other = await DpopSigner.generate();
    api.seen.length = 0;
    const body = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('x')), c.close()) });
    const res = await other.fetch(`${api.url}/upload`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(401);
    expect(api.seen).toHaveLength(1);
    expect((await other.fetch(`${api.url}/upload`, { method: 'POST', body: 'x' })).status).toBe(200);
  });

  it('refuses a public key and an unsupported algorithm', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expect(DpopSigner.fromPrivateKey(publicKey)).rejects.toThrow('private key');
    await expect(DpopSigner.fromPrivateKey(privateKey, 'HS256' as never)).rejects.toThrow('DPoP algorithm');
  });
});
