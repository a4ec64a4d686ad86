import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, Public, SecurityEvents, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { attackerRsaKey, b64, forge, hmacSign, nowSeconds, rs256Sign, tamper } from '../authentication/support/forge.js';
import { rawGet } from '../authentication/support/raw-http.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

@Controller()
class SecretController {
  @Get('secret')
  @Authenticated()
  secret() {
    return { secret: 'classified' };
  }

  @Get('health')
  @Public()
  health() {
    return { ok: true };
  }
}

/** A server that must never be contacted: it counts every request (jku/x5u targets). */
async function startTrap(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits: () => hits, close: () => new Promise((r) => server.close(() => r())) };
}

describe.each(ADAPTERS)('JWT attacks (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let trap: Awaited<ReturnType<typeof startTrap>>;
  const events: SecurityEvent[] = [];
  /** Reference failure: body (without requestId) and challenge every other rejection must match. */
  let reference: { body: Record<string, unknown>; challenge: string | null };

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    trap = await startTrap();
    // Brute-force blocking would turn this suite's many failures from one IP into 429s; it has its own suite.
    @Module({ imports: [BastionModule.forRoot({ realm: 'api', jwt: issuer.options(), bruteForce: { enabled: false } })], controllers: [SecretController] })
    class AppModule {}
    running = await startApp(AppModule, adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
    // Warm the JWKS cache with one valid call.
    const ok = await call(await issuer.sign());
    expect(ok.status).toBe(200);
    const expired = await call(await issuer.sign({}, { expiresIn: -3600 }));
    reference = { body: withoutRequestId(JSON.parse(await expired.text())), challenge: expired.headers.get('www-authenticate') };
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
    await trap.close();
  });

  const call = (token: string, extraHeaders: Record<string, string> = {}) =>
    fetch(`${running.url}/secret`, { headers: { authorization: `Bearer ${token}`, ...extraHeaders } });
  const withoutRequestId = (doc: Record<string, unknown>) => {
    const { requestId: _id, ...rest } = doc;
    return rest;
  };
  const validClaims = () => ({ iss: issuer.issuer, aud: issuer.audience, sub: 'mallory', iat: nowSeconds(), exp: nowSeconds() + 300 });

  /** Sends `token`, asserts the uniform 401 and returns the internal reason the guard reported. */
  async function rejectedReason(token: string): Promise<string | undefined> {
    const before = events.length;
    const res = await call(token);
    const body = await res.text();
    expect(res.status).toBe(401);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(body).not.toContain('classified');
    const doc = JSON.parse(body) as Record<string, unknown>;
    expect(doc.requestId).toBe(res.headers.get('x-request-id'));
    // No oracle: the same body and challenge whatever the reason.
    expect(withoutRequestId(doc)).toEqual(reference.body);
    expect(res.headers.get('www-authenticate')).toBe(reference.challenge);
    const event = events.slice(before).find((e) => e.type === 'authentication.failed');
    expect(JSON.stringify(event)).not.toContain(token);
    return event?.reason;
  }

  it('the reference failure is 401 invalid_token with the standard body', () => {
    expect(reference.body).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'ERR_INVALID_TOKEN' });
    expect(reference.challenge).toBe('Bearer realm="api", error="invalid_token"');
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %s, with and without a signature', async (alg) => {
    expect(await rejectedReason(forge({ alg, typ: 'JWT' }, validClaims(), ''))).toBe('ERR_ALGORITHM_REJECTED');
    expect(await rejectedReason(forge({ alg, kid: issuer.kid() }, validClaims(), 'c2ln'))).toBe('ERR_ALGORITHM_REJECTED');
  });

  it('refuses HS256 signed with the issuer RSA public key (key confusion)', async () => {
    const pem = await issuer.publicKeyPem();
    expect(await rejectedReason(hmacSign({ alg: 'HS256', typ: 'JWT', kid: issuer.kid() }, validClaims(), pem))).toBe('ERR_ALGORITHM_REJECTED');
    expect(await rejectedReason(hmacSign({ alg: 'HS256', typ: 'JWT' }, validClaims(), pem))).toBe('ERR_ALGORITHM_REJECTED');
    const jwk = issuer.jwks().keys[0]!;
    expect(await rejectedReason(hmacSign({ alg: 'HS256', kid: issuer.kid() }, validClaims(), JSON.stringify(jwk)))).toBe('ERR_ALGORITHM_REJECTED');
  });

  it('never trusts an embedded jwk, and never contacts a jku or x5u URL', async () => {
    const attacker = attackerRsaKey();
    const attackerJwk = await exportJWK(attacker.publicKey);
    expect(await rejectedReason(rs256Sign({ alg: 'RS256', jwk: attackerJwk }, validClaims(), attacker.privateKey))).toBe('ERR_HEADER_FORBIDDEN');
    expect(await rejectedReason(rs256Sign({ alg: 'RS256', kid: 'evil', jku: `${trap.url}/jwks` }, validClaims(), attacker.privateKey))).toBe('ERR_HEADER_FORBIDDEN');
    expect(await rejectedReason(rs256Sign({ alg: 'RS256', x5u: `${trap.url}/cert.pem` }, validClaims(), attacker.privateKey))).toBe('ERR_HEADER_FORBIDDEN');
    // Even signed by the real key, a key-carrying header is refused.
    expect(await rejectedReason(await issuer.sign({}, { header: { jku: `${trap.url}/jwks` } }))).toBe('ERR_HEADER_FORBIDDEN');
    expect(trap.hits()).toBe(0);
  });

  it('refuses a token signed by another key under the issuer kid', async () => {
    const attacker = attackerRsaKey();
    expect(await rejectedReason(rs256Sign({ alg: 'RS256', kid: issuer.kid() }, validClaims(), attacker.privateKey))).toBe('ERR_SIGNATURE_INVALID');
  });

  it('refuses a tampered payload', async () => {
    const token = await issuer.sign({ sub: 'user', scope: 'orders:read' });
    expect((await call(token)).status).toBe(200);
    expect(await rejectedReason(tamper(token, (c) => (c.scope = 'admin')))).toBe('ERR_SIGNATURE_INVALID');
    expect(await rejectedReason(tamper(token, (c) => (c.exp = Number(c.exp) + 86_400)))).toBe('ERR_SIGNATURE_INVALID');
  });

  it.each([
    ['wrong iss', { iss: 'https://evil.example' }, 'ERR_ISSUER_UNKNOWN'],
    ['missing iss', { iss: undefined }, 'ERR_ISSUER_MISSING'],
    ['wrong aud', { aud: 'another-api' }, 'ERR_AUDIENCE_MISMATCH'],
    ['missing aud', { aud: undefined }, 'ERR_AUDIENCE_MISSING'],
    ['missing exp', { exp: undefined }, 'ERR_EXPIRY_MISSING'],
    ['exp as a string', { exp: String(nowSeconds() + 300) }, 'ERR_CLAIM_INVALID'],
    ['nbf in the future', { nbf: nowSeconds() + 120 }, 'ERR_TOKEN_NOT_YET_VALID'],
    ['iat in the future', { iat: nowSeconds() + 120 }, 'ERR_TOKEN_ISSUED_IN_FUTURE'],
    ['expired beyond tolerance', { exp: nowSeconds() - 30 }, 'ERR_TOKEN_EXPIRED'],
    ['sub not a string', { sub: 1234 }, 'ERR_CLAIM_INVALID'],
  ])('refuses %s', async (_name, claims, reason) => {
    expect(await rejectedReason(await issuer.sign(claims))).toBe(reason);
  });

  it('accepts a token expired within the clock tolerance (5 s)', async () => {
    expect((await call(await issuer.sign({ exp: nowSeconds() - 2 }))).status).toBe(200);
  });

  it.each([
    ['dpop+jwt', { typ: 'dpop+jwt' }, 'ERR_TYPE_REJECTED'],
    ['secevent+jwt', { typ: 'secevent+jwt' }, 'ERR_TYPE_REJECTED'],
    ['crit', { crit: ['urn:x'], 'urn:x': 1 }, 'ERR_HEADER_FORBIDDEN'],
    ['x5c', { x5c: ['MIIB'] }, 'ERR_HEADER_FORBIDDEN'],
  ])('refuses a header with %s', async (_name, header, reason) => {
    expect(await rejectedReason(await issuer.sign({}, { header }))).toBe(reason);
  });

  // The probes must not be able to occur by chance in an event (its request id is a random UUID, so a
  // hex-only probe such as 'abc' would sometimes be "found" in it): each has a character outside [0-9a-f-].
  it.each([
    ['one segment', 'notajwt'],
    ['two segments', 'abc.def'],
    ['empty segments', '..'.replace(/^/, 'a')],
    ['not JSON', `${b64('hello')}.${b64('world')}.c2ln`],
    ['JWE-shaped', 'a.b.c.d.e'],
    ['duplicate claims', `${b64({ alg: 'RS256' })}.${b64('{"sub":"a","sub":"admin"}')}.c2ln`],
    ['non-canonical base64url', `${b64({ alg: 'RS256' })}.${b64({ sub: 'a' })}.c2l`],
  ])('refuses a malformed token (%s)', async (_name, token) => {
    expect(await rejectedReason(token)).toBe('ERR_TOKEN_MALFORMED');
  });

  it('reports the claimed subject of a failed token to the security event', async () => {
    const before = events.length;
    await call(await issuer.sign({ sub: 'claimed-user' }, { expiresIn: -3600 }));
    expect(events.slice(before).find((e) => e.type === 'authentication.failed')?.claimed).toEqual({ subject: 'claimed-user' });
  });

  it.each([
    ['token in the query string', (t: string) => fetch(`${running.url}/secret?access_token=${t}`), 'ERR_TOKEN_IN_QUERY'],
    ['token in the query string of a public route', (t: string) => fetch(`${running.url}/health?access_token=${t}`), 'ERR_TOKEN_IN_QUERY'],
    ['query token with a header token too', (t: string) => fetch(`${running.url}/secret?access_token=${t}`, { headers: { authorization: `Bearer ${t}` } }), 'ERR_TOKEN_IN_QUERY'],
    ['trailing garbage', (t: string) => fetch(`${running.url}/secret`, { headers: { authorization: `Bearer ${t} extra` } }), 'ERR_BEARER_MALFORMED'],
    ['empty bearer', () => fetch(`${running.url}/secret`, { headers: { authorization: 'Bearer' } }), 'ERR_BEARER_EMPTY'],
  ])('answers 400 invalid_request for %s', async (_name, send, reason) => {
    const token = await issuer.sign();
    const before = events.length;
    const res = await send(token);
    const body = await res.text();
    expect(res.status).toBe(400);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'ERR_INVALID_REQUEST' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_request"');
    expect(body).not.toContain(token);
    expect(events.slice(before).find((e) => e.type === 'authentication.failed')?.reason).toBe(reason);
  });

  it('refuses several Authorization headers (Node would silently keep only the first)', async () => {
    const token = await issuer.sign();
    const { status, body } = await rawGet(running.url, '/secret', [`Authorization: Bearer ${token}`, `Authorization: Bearer ${token}`]);
    expect(status).toBe(400);
    expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'ERR_INVALID_REQUEST' });
  });
});
