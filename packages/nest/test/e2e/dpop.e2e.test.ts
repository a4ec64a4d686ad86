import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { TestDpopClient, TestIssuer, type TestProofOptions } from '../../src/testing/index.js';
import { auditOf, dpopModule } from '../authentication/dpop/fixture-app.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';
import { rawRequest } from '../transport/raw-request.js';

const ALGS = 'ES256 ES384 PS256 RS256 EdDSA';

describe.each(ADAPTERS)('DPoP proofs (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let audit: ReturnType<typeof auditOf>;
  let client: TestDpopClient;
  let other: TestDpopClient;
  let token: string;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    // HTTPS enforcement off, so a plain-HTTP network peer (127.0.0.2) reaches authentication.
    running = await startApp(dpopModule({ jwt: issuer.options(), dpop: {}, https: { enforce: false } }), adapter, configureBastion);
    audit = auditOf(running);
    client = await TestDpopClient.create();
    other = await TestDpopClient.create();
    token = await issuer.signDpopBound(client, { sub: 'alice', scope: 'orders:read' });
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
  });

  const call = async (path: string, headers: Record<string, string>, method = 'GET') => {
    const res = await fetch(`${running.url}${path}`, { method, headers });
    return { res, body: await res.text() };
  };
  const dpopCall = async (path: string, options: TestProofOptions = {}, method = 'GET', accessToken = token) =>
    call(path, { authorization: `DPoP ${accessToken}`, dpop: recordSecret(await client.proof(method, `${running.url}${path}`, { accessToken, ...options })) }, method);

  it('accepts a DPoP-bound token with a valid proof; the principal is a dpop credential', async () => {
    const { res, body } = await dpopCall('/me');
    expect(res.status).toBe(200);
    expect(JSON.parse(body)).toEqual({ subject: 'alice', credential: 'dpop', scopes: ['orders:read'] });
    // The signer's fetch makes the same request (htu without the query, ath of the token).
    const viaSigner = await client.signer.fetch(`${running.url}/orders?page=1`, { accessToken: token });
    expect(viaSigner.status).toBe(200);
  });

  it.each([
    ['typ', { header: { typ: 'JWT' } }, 'ERR_DPOP_TYPE_REJECTED'],
    ['alg', { header: { alg: 'HS256' } }, 'ERR_DPOP_ALGORITHM_REJECTED'],
    ['private jwk', { privateKeyInHeader: true }, 'ERR_DPOP_KEY_PRIVATE'],
    ['htm', { claims: { htm: 'POST' } }, 'ERR_DPOP_METHOD_MISMATCH'],
    ['htu', { claims: { htu: 'http://127.0.0.1:1/me' } }, 'ERR_DPOP_URI_MISMATCH'],
    ['iat in the past', { claims: { iat: Math.floor(Date.now() / 1000) - 600 } }, 'ERR_DPOP_PROOF_TOO_OLD'],
    ['iat in the future', { claims: { iat: Math.floor(Date.now() / 1000) + 600 } }, 'ERR_DPOP_PROOF_ISSUED_IN_FUTURE'],
    ['jti missing', { claims: { jti: undefined } }, 'ERR_DPOP_JTI_MISSING'],
    ['ath', { claims: { ath: 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo' } }, 'ERR_DPOP_ATH_MISMATCH'],
  ])('refuses a proof with a wrong %s: 401 invalid_dpop_proof, precise audit reason', async (_field, options, reason) => {
    const { res, body } = await dpopCall('/me', options as TestProofOptions);
    expect(res.status).toBe(401);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(JSON.parse(body).code).toBe('ERR_INVALID_TOKEN');
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="api", DPoP realm="api", error="invalid_dpop_proof", algs="${ALGS}"`);
    expect(audit.reasonOf(res)).toBe(reason);
  });

  it('refuses a proof signed by another key than the one in its header', async () => {
    const { res } = await dpopCall('/me', { signWith: other });
    expect(res.status).toBe(401);
    expect(audit.reasonOf(res)).toBe('ERR_DPOP_SIGNATURE_INVALID');
  });

  it('refuses a replayed proof (same jti) even within its time window', async () => {
    const headers = { authorization: `DPoP ${token}`, dpop: await client.proof('GET', `${running.url}/me`, { accessToken: token }) };
    expect((await call('/me', headers)).res.status).toBe(200);
    const replay = await call('/me', headers);
    expect(replay.res.status).toBe(401);
    expect(audit.reasonOf(replay.res)).toBe('ERR_DPOP_REPLAYED');
  });

  it('refuses a token bound to another key, an unbound token, and a proof-less request (invalid_token / invalid_dpop_proof)', async () => {
    const foreign = await issuer.signDpopBound(other, { sub: 'alice' });
    const mismatch = await dpopCall('/me', {}, 'GET', foreign);
    expect(mismatch.res.status).toBe(401);
    expect(mismatch.res.headers.get('www-authenticate')).toContain('DPoP realm="api", error="invalid_token"');
    expect(audit.reasonOf(mismatch.res)).toBe('ERR_DPOP_BINDING_MISMATCH');
    const unbound = await dpopCall('/me', {}, 'GET', await issuer.sign({ sub: 'alice' }));
    expect(audit.reasonOf(unbound.res)).toBe('ERR_DPOP_TOKEN_UNBOUND');
    const noProof = await call('/me', { authorization: `DPoP ${token}` });
    expect(noProof.res.status).toBe(401);
    expect(audit.reasonOf(noProof.res)).toBe('ERR_DPOP_PROOF_MISSING');
    const badToken = await dpopCall('/me', {}, 'GET', await issuer.signDpopBound(client, { sub: 'alice' }, { expiresIn: -60 }));
    expect(audit.reasonOf(badToken.res)).toBe('ERR_TOKEN_EXPIRED');
  });

  it('answers 400 invalid_request to several DPoP headers and to a malformed DPoP authorization', async () => {
    const proof = (await client.proof('GET', `${running.url}/me`, { accessToken: token })) as string;
    const twice = await rawRequest(`${running.url}/me`, { method: 'GET', headers: { authorization: `DPoP ${token}`, dpop: [proof, proof] } });
    expect(twice.status).toBe(400);
    expect(twice.headers['www-authenticate']).toBe(`Bearer realm="api", DPoP realm="api", error="invalid_request", algs="${ALGS}"`);
    expect(audit.reasonOf({ headers: twice.headers })).toBe('ERR_DPOP_PROOF_REPEATED');
    const malformed = await call('/me', { authorization: `DPoP ${token} extra`, dpop: proof });
    expect(malformed.res.status).toBe(400);
    expect(audit.reasonOf(malformed.res)).toBe('ERR_DPOP_TOKEN_MALFORMED');
  });

  it('builds htu from the scheme and host a trusted proxy vouches for, never from an untrusted peer', async () => {
    const url = 'https://api.example.com/me';
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com', 'x-forwarded-for': '203.0.113.7' };
    const send = async (localAddress: string) =>
      rawRequest(`${running.url}/me`, { method: 'GET', localAddress, headers: { ...forwarded, authorization: `DPoP ${token}`, dpop: await client.proof('GET', url, { accessToken: token }) } });
    expect((await send('127.0.0.1')).status).toBe(200);
    const untrusted = await send('127.0.0.2');
    expect(untrusted.status).toBe(401);
    expect(audit.reasonOf({ headers: untrusted.headers })).toBe('ERR_DPOP_URI_MISMATCH');
    const hostOnly = await rawRequest(`${running.url}/me`, {
      method: 'GET',
      localAddress: '127.0.0.1',
      headers: { host: 'api.example.com/me#', authorization: `DPoP ${token}`, dpop: await client.proof('GET', 'http://api.example.com/me', { accessToken: token }) },
    });
    expect(hostOnly.status).toBe(401);
    expect(audit.reasonOf({ headers: hostOnly.headers })).toBe('ERR_DPOP_URI_MISMATCH');
  });

  it('verifies a DPoP credential on a public route too', async () => {
    expect(JSON.parse((await dpopCall('/open')).body)).toEqual({ subject: 'alice' });
    expect((await dpopCall('/open', { claims: { htm: 'PUT' } })).res.status).toBe(401);
  });
});
