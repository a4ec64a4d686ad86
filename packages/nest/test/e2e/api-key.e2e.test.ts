import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ApiKeys,
  BastionModule,
  Boundary,
  CurrentPrincipal,
  RequireScopes,
  configureBastion,
  createBastionDocument,
  generateApiKey,
  type BastionOptions,
  type Principal,
} from '../../src/index.js';
import { apiKeyChecksum } from '../../src/authentication/api-key/api-key-format.js';
import { TestSigner } from '../../src/testing/index.js';
import { ADAPTERS, bootError, startApp, type RunningApp } from '../support/app.js';
import { capturedAuditEvents } from '../support/log-capture.js';
import { recordSecret } from '../support/secrets.js';
import { rawRequest, type RawResponse } from '../transport/raw-request.js';

@Controller('partner')
class PartnerController {
  @Get('feed')
  @RequireScopes('feed:read')
  feed(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, credential: p.credential, keyId: p.tokenId, combined: p.combined ?? null };
  }
}

@Controller('internal')
@Boundary('internal')
class InternalController {
  @Get('export')
  @RequireScopes('orders:export')
  export(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, credential: p.credential, combined: p.combined ?? null, signature: (p.claims.signature as { keyid?: string } | undefined)?.keyid ?? null };
  }
}

function appModule(options: BastionOptions) {
  @Module({ imports: [BastionModule.forRoot(options)], controllers: [PartnerController, InternalController] })
  class AppModule {}
  return AppModule;
}

const seeded = generateApiKey();
recordSecret(seeded.key);

const OPTIONS: BastionOptions = {
  apiKey: {
    keys: [{ id: seeded.id, hash: seeded.hash, owner: 'seeded-partner', scopes: ['feed:read'], expiresAt: new Date(Date.now() + 86_400_000).toISOString() }],
  },
  signature: { keySource: 'api-keys' },
  boundaries: { partner: { accept: ['api-key'] }, internal: { accept: [['api-key', 'signature']] } },
  defaultBoundary: 'partner',
  bruteForce: { enabled: false },
  throttle: { enabled: false },
};

const failureOf = (res: RawResponse) => capturedAuditEvents().find((e) => e.requestId === res.headers['x-request-id'] && e.outcome === 'failure');

describe.each(ADAPTERS)('API keys (%s)', (adapter) => {
  let app: RunningApp;
  let keys: ApiKeys;
  const issue = async (options: Partial<Parameters<ApiKeys['issue']>[0]> = {}) => {
    const issued = await keys.issue({ owner: 'partner-1', scopes: ['feed:read', 'orders:export'], ...options });
    recordSecret(issued.key);
    return issued;
  };
  const get = (path: string, headers: Record<string, string>) => rawRequest(app.url, { method: 'GET', path, headers });

  beforeAll(async () => {
    app = await startApp(appModule(OPTIONS), adapter, (a) => configureBastion(a));
    keys = app.app.get(ApiKeys);
  });
  afterAll(() => app?.close());
  afterEach(() => vi.useRealTimers());

  it('accepts a key as Authorization: ApiKey or in X-Api-Key, as its owner with its scopes', async () => {
    const { key, id } = await issue();
    for (const headers of [{ authorization: `ApiKey ${key}` }, { authorization: `apikey ${key}` }, { 'x-api-key': key }] as Record<string, string>[]) {
      const res = await get('/partner/feed', headers);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ subject: 'partner-1', credential: 'api-key', keyId: id, combined: null });
    }
    const seededRes = await get('/partner/feed', { 'x-api-key': seeded.key });
    expect(JSON.parse(seededRes.body).subject).toBe('seeded-partner');
    const issuedEvent = capturedAuditEvents().find((e) => e.type === 'api-key.issued' && e.principal?.keyId === id);
    expect(issuedEvent).toMatchObject({ outcome: 'info', principal: { subject: 'partner-1', credential: 'api-key' } });
  });

  it('refuses keys in the query string or twice with 400, and bad keys with the uniform 401', async () => {
    const { key, id } = await issue();
    const inQuery = await get(`/partner/feed?api_key=${key}`, {});
    expect(inQuery.status).toBe(400);
    expect(failureOf(inQuery)).toMatchObject({ type: 'api-key.invalid', reason: 'ERR_API_KEY_IN_QUERY' });
    expect((await get(`/partner/feed?q=${key}`, {})).status).toBe(400);
    const twice = await get('/partner/feed', { authorization: `ApiKey ${key}`, 'x-api-key': key });
    expect(twice.status).toBe(400);
    expect(failureOf(twice)?.reason).toBe('ERR_API_KEY_REPEATED');
    expect((await get('/partner/feed', { authorization: 'ApiKey' })).status).toBe(400);
    const other = generateApiKey();
    recordSecret(other.key);
    const cases: [string, string][] = [
      [`${key.slice(0, 69)}${key[69] === 'a' ? 'b' : 'a'}`, 'ERR_API_KEY_MALFORMED'],
      [other.key, 'ERR_API_KEY_UNKNOWN'],
      [`bst_${id}_${other.key.slice(21, 64)}${other.key.slice(64)}`, 'ERR_API_KEY_MALFORMED'],
    ];
    for (const [presented, reason] of cases) {
      const res = await get('/partner/feed', { 'x-api-key': presented });
      expect(res.status, reason).toBe(401);
      // A route that accepts only API keys asks for one, not for a Bearer token.
      expect(res.headers['www-authenticate']).toBe('ApiKey realm="api"');
      expect(res.headers['accept-signature']).toBeUndefined();
      expect(failureOf(res), reason).toMatchObject({ type: 'api-key.invalid', reason });
    }
  });

  it('refuses a key whose secret does not match its id, a revoked key and an expired key', async () => {
    const { id, key } = await issue();
    const body = `bst_${id}_${'A'.repeat(43)}`;
    const forged = `${body}${apiKeyChecksum(body)}`;
    const mismatch = await get('/partner/feed', { 'x-api-key': forged });
    expect(mismatch.status).toBe(401);
    expect(failureOf(mismatch)).toMatchObject({ reason: 'ERR_API_KEY_MISMATCH', claimed: { keyId: id } });
    expect(await keys.revoke(id)).toBe(true);
    const revoked = await get('/partner/feed', { 'x-api-key': key });
    expect(revoked.status).toBe(401);
    expect(failureOf(revoked)?.reason).toBe('ERR_API_KEY_REVOKED');
    expect(capturedAuditEvents().some((e) => e.type === 'api-key.revoked' && e.principal?.keyId === id)).toBe(true);
    const short = await issue({ expiresIn: 60 });
    expect((await get('/partner/feed', { 'x-api-key': short.key })).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    const expired = await get('/partner/feed', { 'x-api-key': short.key });
    expect(expired.status).toBe(401);
    expect(failureOf(expired)?.reason).toBe('ERR_API_KEY_EXPIRED');
  });

  it('keeps several active keys per owner for rotation', async () => {
    const old = await issue({ owner: 'rotating' });
    const next = await issue({ owner: 'rotating' });
    expect((await keys.list('rotating')).map((r) => r.id).sort()).toEqual([old.id, next.id].sort());
    expect((await get('/partner/feed', { 'x-api-key': old.key })).status).toBe(200);
    expect((await get('/partner/feed', { 'x-api-key': next.key })).status).toBe(200);
    await keys.revoke(old.id);
    expect((await get('/partner/feed', { 'x-api-key': old.key })).status).toBe(401);
    expect((await get('/partner/feed', { 'x-api-key': next.key })).status).toBe(200);
  });

  it('limits a key to its allowed addresses, with the client resolved through the trusted proxies', async () => {
    const lan = await issue({ allowedAddresses: ['10.0.0.0/8'] });
    const local = await issue({ allowedAddresses: ['127.0.0.1'] });
    const denied = await get('/partner/feed', { 'x-api-key': lan.key });
    expect(denied.status).toBe(401);
    expect(failureOf(denied)?.reason).toBe('ERR_API_KEY_ADDRESS');
    expect((await get('/partner/feed', { 'x-api-key': local.key })).status).toBe(200);
    // 127.0.0.1 is a trusted proxy by default: the client is the address it forwards for.
    expect((await get('/partner/feed', { 'x-api-key': lan.key, 'x-forwarded-for': '10.1.2.3', 'x-forwarded-proto': 'https' })).status).toBe(200);
    expect((await get('/partner/feed', { 'x-api-key': local.key, 'x-forwarded-for': '10.1.2.3', 'x-forwarded-proto': 'https' })).status).toBe(401);
  });

  describe('a boundary that requires an API key together with a signature', () => {
    const signing = TestSigner.create({ owner: 'ignored' });
    const signed = (keyid: string, path = '/internal/export', signer = signing) => {
      const headers = signer.withKeyid(keyid).sign({ method: 'GET', url: `${app.url}${path}` });
      recordSecret(headers.signature.slice(5));
      return headers;
    };

    it('accepts the key with a signature made with its signing key, as the key owner', async () => {
      const { key, id } = await issue({ signingKey: signing.apiKeySigningKey() });
      const res = await get('/internal/export', { 'x-api-key': key, ...signed(id) });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ subject: 'partner-1', credential: 'api-key', combined: ['api-key', 'signature'], signature: id });
    });

    it('refuses the key alone and the signature alone with 401, without verifying either', async () => {
      const { key, id } = await issue({ signingKey: signing.apiKeySigningKey() });
      for (const headers of [{ 'x-api-key': key }, { ...signed(id) }] as Record<string, string>[]) {
        const res = await get('/internal/export', headers);
        expect(res.status).toBe(401);
        expect(failureOf(res)).toMatchObject({ type: 'authentication.failed', reason: 'ERR_CREDENTIAL_INCOMPLETE' });
        // The challenge asks for both: the key (ApiKey scheme) and a signature (RFC 9421 §5.1).
        expect(res.headers['www-authenticate']).toBe('ApiKey realm="api"');
        expect(res.headers['accept-signature']).toBe('sig1=("@method" "@target-uri");created');
      }
    });

    it('refuses a signature by another key, by the wrong signing key, a key without signing key, and a revoked key', async () => {
      const withKey = await issue({ signingKey: signing.apiKeySigningKey() });
      const another = await issue({ signingKey: signing.apiKeySigningKey() });
      const withoutKey = await issue();
      const impostor = TestSigner.create();
      const cases: [Record<string, string>, string, string][] = [
        [{ 'x-api-key': withKey.key, ...signed(another.id) }, 'signature.invalid', 'ERR_SIGNATURE_MISSING'],
        [{ 'x-api-key': withKey.key, ...signed(withKey.id, '/internal/export', impostor) }, 'signature.invalid', 'ERR_SIGNATURE_INVALID'],
        [{ 'x-api-key': withoutKey.key, ...signed(withoutKey.id) }, 'api-key.invalid', 'ERR_API_KEY_NO_SIGNING_KEY'],
      ];
      for (const [headers, type, reason] of cases) {
        const res = await get('/internal/export', headers);
        expect(res.status, reason).toBe(401);
        expect(failureOf(res), reason).toMatchObject({ type, reason });
      }
      await keys.revoke(withKey.id);
      const revoked = await get('/internal/export', { 'x-api-key': withKey.key, ...signed(withKey.id) });
      expect(revoked.status).toBe(401);
      expect(failureOf(revoked)?.reason).toBe('ERR_API_KEY_REVOKED');
    });
  });

  it('declares the API-key and signature schemes in the OpenAPI document, the pair as one requirement', async () => {
    type Operation = { security: unknown; 'x-bastion'?: unknown };
    const document = (await createBastionDocument(app.app)) as unknown as { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };
    // OpenAPI allows scopes only on oauth2/openIdConnect schemes: these carry empty lists, the scopes go to x-bastion.
    expect(document.paths['/partner/feed']!.get!.security).toEqual([{ apiKey: [] }]);
    expect(document.paths['/partner/feed']!.get!['x-bastion']).toEqual({ boundary: 'partner', scopes: ['feed:read'] });
    expect(document.paths['/internal/export']!.get!.security).toEqual([{ apiKey: [], httpSignature: [] }]);
    expect(document.paths['/internal/export']!.get!['x-bastion']).toEqual({ boundary: 'internal', scopes: ['orders:export'] });
    expect(document.components.securitySchemes).toEqual({
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: expect.stringContaining('Authorization: ApiKey') },
      httpSignature: { type: 'apiKey', in: 'header', name: 'Signature', description: expect.stringContaining('RFC 9421') },
    });
  });
});

describe('credential types are real or refused', () => {
  it.each([
    [{ boundaries: { internal: { accept: ['signature'] } } }, 'boundaries.internal.accept[0]', '"signature"'],
    [{ signature: { keys: [TestSigner.create().keyOptions()] }, boundaries: { internal: { accept: [['api-key', 'signature']] } } }, 'boundaries.internal.accept[0][0]', '"apiKey"'],
    [{ apiKey: {}, boundaries: { b: { accept: ['api-key', ['signature', 'api-key']] } } }, 'boundaries.b.accept[1][0]', '"signature"'],
  ] as [BastionOptions, string, string][])('refuses to boot when a boundary names an unconfigured credential (%#)', async (options, path, option) => {
    @Module({ imports: [BastionModule.forRoot({ ...options })], controllers: [PartnerController] })
    class Unconfigured {}
    expect((await bootError(Unconfigured, 'express')).message).toMatch(new RegExp(`"${path.replace(/[[\].]/g, '\\$&')}" names credential .*no authenticator provides it \\(set the ${option} option`));
  });

  it('refuses a combination of configured credentials that nothing verifies together', async () => {
    const partnerToken = { credential: 'partner-token', isPresented: () => false, authenticate: () => Promise.reject(new Error('unused')) };
    @Module({ imports: [BastionModule.forRoot({ apiKey: {}, authenticators: [partnerToken], boundaries: { b: { accept: [['api-key', 'partner-token']] } } })], controllers: [PartnerController] })
    class Unverifiable {}
    expect((await bootError(Unverifiable, 'express')).message).toMatch(/"boundaries.b.accept\[0\]" names credentials "api-key" \+ "partner-token" together, but nothing verifies them together/);
  });

  it('refuses unsupported combinations and a signature key source of API keys without API keys', () => {
    expect(() => BastionModule.forRoot({ apiKey: {}, boundaries: { b: { accept: [['api-key', 'api-key']] } } })).toThrow(/"boundaries.b.accept\[0\]" must list two or more different credential types/);
    expect(() => BastionModule.forRoot({ signature: { keySource: 'api-keys' } })).toThrow(/"signature.keySource" is "api-keys", which needs the "apiKey" option/);
    expect(() => BastionModule.forRoot({ apiKey: { store: 'redis' } })).toThrow(/"apiKey.store" is "redis", which needs store/);
  });
});

describe.each(ADAPTERS)('failed API keys and signatures count as failed authentications (%s)', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(appModule({ ...OPTIONS, bruteForce: { maxFailures: 3, windowMs: 60_000 } }), adapter, (a) => configureBastion(a));
  });
  afterAll(() => app?.close());

  it('blocks an IP that keeps presenting bad signatures (signature.invalid counts like authentication.failed)', async () => {
    const signing = TestSigner.create();
    const impostor = TestSigner.create();
    const issued = await app.app.get(ApiKeys).issue({ owner: 'victim', scopes: ['orders:export'], signingKey: signing.apiKeySigningKey() });
    recordSecret(issued.key);
    const forged = () => {
      const headers = { ...impostor.withKeyid(issued.id).sign({ method: 'GET', url: `${app.url}/internal/export` }), 'x-api-key': issued.key };
      recordSecret(headers.signature.slice(5));
      return rawRequest(app.url, { method: 'GET', path: '/internal/export', headers });
    };
    expect((await forged()).status).toBe(401);
    await vi.waitFor(async () => {
      const res = await forged();
      expect(res.status).toBe(429);
      expect(JSON.parse(res.body).code).toBe('ERR_CLIENT_BLOCKED');
    }, { timeout: 15_000, interval: 50 });
    const failures = capturedAuditEvents().filter((e) => e.type === 'signature.invalid' && e.claimed?.keyId === issued.id);
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures.every((e) => e.reason === 'ERR_SIGNATURE_INVALID')).toBe(true);
  });
});
