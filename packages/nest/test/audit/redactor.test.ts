import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { luhnValid } from '../../src/audit/redaction-patterns.js';
import { createRedactor } from '../../src/audit/redactor.js';

const redact = createRedactor();
const text = (s: string, r = redact) => r(s) as string;

// A structurally valid JWS (header {"alg":"HS256","typ":"JWT"}); not signed by anything real.
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImlhdCI6MTUxNjIzOTAyMn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const API_KEY = 'bst_0123456789abcdef_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg';

describe('redaction by key name', () => {
  it('removes secret members at any depth, in arrays, Maps, and case/separator variants', () => {
    const input = {
      headers: { Authorization: 'x', cookie: 'sid=1', 'Set-Cookie': ['a=b'], 'X-API-Key': 'k', accept: 'json' },
      user: { name: 'alice', password: 'hunter2', nested: [{ client_secret: 's1' }, { dbPassword: 'p' }] },
      apiKey: 'k2', api_key: 'k3', webhookSecret: 'w', privateKey: 'pk', refresh_token: 'r',
      map: new Map([['token', 't'], ['ok', 'fine']]),
    };
    const out = redact(input) as any;
    expect(out.headers).toEqual({ Authorization: '[REDACTED]', cookie: '[REDACTED]', 'Set-Cookie': '[REDACTED]', 'X-API-Key': '[REDACTED]', accept: 'json' });
    expect(out.user).toEqual({ name: 'alice', password: '[REDACTED]', nested: [{ client_secret: '[REDACTED]' }, { dbPassword: '[REDACTED]' }] });
    for (const k of ['apiKey', 'api_key', 'webhookSecret', 'privateKey', 'refresh_token']) expect(out[k]).toBe('[REDACTED]');
    expect(out.map).toEqual({ token: '[REDACTED]', ok: 'fine' });
    expect(JSON.stringify(out)).not.toMatch(/hunter2|"s1"|"k2"/);
    expect(input.user.password).toBe('hunter2'); // input not mutated
  });

  it('takes extra key names from options', () => {
    const r = createRedactor({ keys: ['Ssn', 'x-internal-ticket'] });
    expect(r({ ssn: '123', X_Internal_Ticket: 't', other: 'o' })).toEqual({ ssn: '[REDACTED]', X_Internal_Ticket: '[REDACTED]', other: 'o' });
  });

  it('removes the private members of JWKs but keeps the public ones', () => {
    const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    const out = redact({ key: { ...jwk, kid: 'k1' } }) as any;
    expect(out.key).toEqual({ kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: '[REDACTED]', kid: 'k1' });
  });

  it('redacts secrets used as object keys', () => {
    const out = JSON.stringify(redact({ [API_KEY]: 1, [JWT]: 2, '4111111111111111': 3, [API_KEY.slice(0, 16)]: 4 }));
    expect(out).not.toMatch(/Zm9v|SflKx|4111111111111111|bst_0123/);
  });

  it('does not treat identifiers and counters as secrets', () => {
    expect(redact({ keyId: 'k1', maxTokens: 5, reason: 'ERR_TOKEN_EXPIRED', tokenType: 'Bearer' })).toEqual({ keyId: 'k1', maxTokens: 5, reason: 'ERR_TOKEN_EXPIRED', tokenType: 'Bearer' });
  });
});

describe('redaction by value pattern', () => {
  it('removes JWTs (JWS and JWE) anywhere in a string', () => {
    expect(text(`token ${JWT} rejected`)).toBe('token [REDACTED] rejected');
    expect(text(`jwe=${'eyJhbGciOiJSU0EtT0FFUCJ9.aaaa.bbbb.cccc.dddd'}`)).not.toContain('eyJ');
    expect(text('unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.')).toBe('unsigned [REDACTED]');
  });

  it('removes credentials after an auth scheme', () => {
    expect(text('Authorization: Bearer abc.def-ghi_jkl')).not.toContain('abc.def');
    expect(text('sent Basic dXNlcjpwYXNz== to upstream')).toBe('sent Basic [REDACTED] to upstream');
    expect(text('DPoP 0123456789abcdef')).toBe('DPoP [REDACTED]');
  });

  it('removes Bastion API keys, also truncated ones', () => {
    expect(text(`key=${API_KEY}`)).not.toContain('Zm9v');
    expect(text(`presented ${API_KEY.slice(0, 30)}`)).toBe('presented [REDACTED]');
  });

  it('removes PEM private keys, also cut-off ones, and keeps public keys', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const body = pem.split('\n')[1]!;
    expect(text(`loaded ${pem} ok`)).not.toContain(body);
    expect(text(`loaded ${pem} ok`)).toContain('ok');
    expect(text(pem.slice(0, 60))).not.toContain(body.slice(0, 20));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
    expect(text(rsa)).not.toContain(rsa.split('\n')[1]!);
    const pub = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }) as string;
    expect(text(pub)).toBe(pub);
  });

  it('removes key=value secrets in free text, URLs and JSON text', () => {
    expect(text('db password=hunter2 at /srv')).toBe('db password=[REDACTED] at /srv');
    expect(text('GET /cb?code=1&access_token=abc123&x=1')).toBe('GET /cb?code=1&access_token=[REDACTED]');
    expect(text('password=a&b c')).toBe('password=[REDACTED] c');
    expect(text('dial postgres://app:s3cr3t@db:5432/orders failed')).toBe('dial postgres://app:[REDACTED]@db:5432/orders failed');
    expect(text('see https://example.com/a:b@c')).toBe('see https://example.com/a:b@c');
    expect(text('{"client_secret":"s3cr3t","id":"a"}')).toBe('{"client_secret":"[REDACTED]","id":"a"}');
    expect(text("x-api-key: 'k-123'")).toBe("x-api-key: '[REDACTED]'");
    expect(text('password=[REDACTED]')).toBe('password=[REDACTED]');
  });

  it('removes card numbers that pass Luhn and keeps other digit runs', () => {
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('4111 1111 1111 1112')).toBe(false);
    expect(text('card 4111 1111 1111 1111 charged')).toBe('card [REDACTED] charged');
    expect(text('card 5500-0000-0000-0004')).toBe('card [REDACTED]');
    expect(text('order 4111111111111112 and ts 1732761600000')).toBe('order 4111111111111112 and ts 1732761600000');
  });

  it('removes e-mail addresses only when PII redaction is on', () => {
    expect(text('user alice@example.com failed')).toBe('user alice@example.com failed');
    const pii = createRedactor({ pii: true });
    expect(text('user alice@example.com failed', pii)).toBe('user [REDACTED] failed');
    expect(pii({ claimed: { subject: 'bob@corp.example.org' } })).toEqual({ claimed: { subject: '[REDACTED]' } });
  });

  it('applies extra patterns from options', () => {
    const r = createRedactor({ patterns: [/\bAKIA[0-9A-Z]{16}\b/g] });
    expect(text('aws AKIAIOSFODNN7EXAMPLE', r)).toBe('aws [REDACTED]');
  });

  it('redacts Error messages, stacks and causes', () => {
    const error = new Error(`login failed for Bearer ${JWT}`, { cause: new Error('password=hunter2') });
    const out = redact({ error }) as any;
    expect(out.error.name).toBe('Error');
    expect(JSON.stringify(out)).not.toContain(JWT.slice(40));
    expect(JSON.stringify(out)).not.toContain('hunter2');
    expect(out.error.stack).toContain('at ');
    expect(out.error.cause.message).toBe('password=[REDACTED]');
  });
});

describe('redaction limits', () => {
  it('replaces circular references and keeps shared (non-circular) ones', () => {
    const a: any = { name: 'a', token: 't' };
    a.self = a;
    const shared = { v: 1 };
    a.list = [shared, shared, a];
    expect(redact(a)).toEqual({ name: 'a', token: '[REDACTED]', self: '[Circular]', list: [{ v: 1 }, { v: 1 }, '[Circular]'] });
  });

  it('cuts deep nesting at maxDepth', () => {
    let deep: any = { secret: 's' };
    for (let i = 0; i < 100_000; i++) deep = { next: deep };
    let out = createRedactor({ maxDepth: 3 })(deep) as any;
    expect(out).toEqual({ next: { next: { next: '[Truncated]' } } });
    out = redact(deep);
    expect(JSON.stringify(out)).toContain('[Truncated]');
  });

  it('handles huge objects, arrays and strings within the node and length caps (bounded time)', () => {
    const wide: Record<string, string> = {};
    for (let i = 0; i < 200_000; i++) wide[`k${i}`] = `v${i}`;
    const big = Array.from({ length: 500_000 }, (_, i) => ({ i, password: 'p' }));
    const longString = `${'eyJ'.repeat(300_000)}${'a'.repeat(1_000_000)}@`;
    const r = createRedactor({ maxNodes: 1000, pii: true });
    const outWide = r(wide) as Record<string, unknown>;
    const outBig = r(big) as unknown[];
    const outString = r(longString) as string;
    expect(Object.keys(outWide).length).toBeLessThanOrEqual(1001);
    expect(outWide['…']).toBe('[Truncated]');
    expect(outBig.length).toBeLessThan(1000);
    expect(outBig.at(-1)).toBe('[Truncated]');
    expect(outString.length).toBeLessThan(17_000);
    expect(outString.endsWith('[Truncated]')).toBe(true);
  }, 15_000); // the bound on time: without the caps this input takes minutes

  it('never throws on odd values', () => {
    const hostile = Object.defineProperty({}, 'boom', { enumerable: true, get() { throw new Error('x'); } });
    expect(redact({ hostile, f() {}, s: Symbol('x'), b: 10n, d: new Date(0), buf: Buffer.from('secret'), n: null })).toEqual({
      hostile: { boom: '[Unreadable]' }, f: '[Function f]', s: 'Symbol(x)', b: '10', d: '1970-01-01T00:00:00.000Z', buf: '[Binary 6 bytes]', n: null,
    });
  });
});

describe('redaction: secrets glued to other text, encoded, in headers and nested (issue 11 item 6)', () => {
  const pii = createRedactor({ pii: true });

  it('removes JWTs right after a letter, digit, underscore or an URL-encoded =', () => {
    for (const glue of ['token_', 'x', '7', '%3D', 'access_token%3d', 'Bearer:']) {
      const out = text(`${glue}${JWT} end`);
      expect(out, glue).not.toContain('SflKx');
      expect(out, glue).not.toContain('eyJzdWIi');
      expect(out.startsWith(glue.slice(0, 1)), glue).toBe(true);
    }
  });

  it('removes secrets in query strings, also URL-encoded inside another parameter', () => {
    expect(text('GET /cb?state=s&access_token=opaque-123&x=1')).toBe('GET /cb?state=s&access_token=[REDACTED]');
    expect(text(`GET /login?next=%2Fapp%3Faccess_token%3D${JWT}`)).toBe('GET /login?next=%2Fapp%3Faccess_token%3D[REDACTED]');
    expect(text('GET /login?next=%2Fapp%3Frefresh_token%3Dopaque-456%26a%3D1')).toBe('GET /login?next=%2Fapp%3Frefresh_token%3D[REDACTED]');
    expect(text('redirect=https%3A%2F%2Fapp%2Fcb%3Fpassword%3Ahunter2')).toBe('redirect=https%3A%2F%2Fapp%2Fcb%3Fpassword%3A[REDACTED]');
    expect(text('GET /oauth/cb?code=abc&client_secret=s3cr3t')).toBe('GET /oauth/cb?code=abc&client_secret=[REDACTED]');
  });

  it('removes Bastion API keys glued to a word, but not words that merely contain bst_', () => {
    expect(text(`key_${API_KEY}`)).toBe('key_[REDACTED]');
    expect(text('subst_total_count and robust_defaults_enabled')).toBe('subst_total_count and robust_defaults_enabled');
  });

  it('removes auth, cookie, set-cookie, x-api-key and signature headers, as objects, raw lists, entries and text', () => {
    const headers = { auth: 'u:p', Cookie: 'sid=1', 'set-cookie': ['sid=2; HttpOnly'], 'x-api-key': 'k-1', Signature: 'sig1=:MEUCIQDx:', 'x-hub-signature': 'sha1=abc', accept: 'application/json' };
    expect(redact({ headers })).toEqual({
      headers: { auth: '[REDACTED]', Cookie: '[REDACTED]', 'set-cookie': '[REDACTED]', 'x-api-key': '[REDACTED]', Signature: '[REDACTED]', 'x-hub-signature': '[REDACTED]', accept: 'application/json' },
    });
    const raw = redact({ rawHeaders: ['Host', 'api.example.com', 'Cookie', 'sid=3', 'X-Api-Key', 'k-2', 'Signature', 'sig1=:AAA:'] });
    expect(raw).toEqual({ rawHeaders: ['Host', 'api.example.com', 'Cookie', '[REDACTED]', 'X-Api-Key', '[REDACTED]', 'Signature', '[REDACTED]'] });
    expect(redact([['set-cookie', 'sid=4'], ['content-type', 'text/plain'], ['auth', 'u:p']])).toEqual([['set-cookie', '[REDACTED]'], ['content-type', 'text/plain'], ['auth', '[REDACTED]']]);
    expect(text('Set-Cookie: sid=5; Path=/')).toBe('Set-Cookie: [REDACTED]; Path=/');
    expect(text('Signature: sig1=:MEUCIQDxyz==:')).toBe('Signature: [REDACTED]');
    expect(text('X-Api-Key:k-3')).toBe('X-Api-Key:[REDACTED]');
    expect(text('auth=u:p and cookie=c')).toBe('auth=[REDACTED] and cookie=[REDACTED]');
  });

  it('removes them in nested objects, arrays and error causes', () => {
    const input = { req: { headers: { authorization: 'Bearer x', 'x-api-key': 'k' }, query: { access_token: 't' }, url: `/cb?x=1&id_token=${JWT}` }, list: [{ cookie: 'c' }, 'signature=abc'] };
    const out = redact(input) as any;
    expect(out.req.headers).toEqual({ authorization: '[REDACTED]', 'x-api-key': '[REDACTED]' });
    expect(out.req.query).toEqual({ access_token: '[REDACTED]' });
    expect(out.req.url).toBe('/cb?x=1&id_token=[REDACTED]');
    expect(out.list).toEqual([{ cookie: '[REDACTED]' }, 'signature=[REDACTED]']);
  });

  it('leaves ordinary words alone', () => {
    const ordinary = [
      'author: Jane Doe',
      'authentic request from the authority',
      'loaded keyJar.config.json and heyJude.mp3',
      'tokens: 5, maxTokens=10, tokenType=Bearer',
      'the cookie jar is empty',
      'signatures verified: 3',
      'no password given',
      'see https://example.com/docs?page=2',
      'ratio 1:2 at 10:30',
    ];
    for (const line of ordinary) expect(text(line)).toBe(line);
    expect(redact({ authors: ['a'], cookieConsent: true, signatureAlgorithm: 'ES256', oauth: { issuer: 'https://id' } })).toEqual({ authors: ['a'], cookieConsent: true, signatureAlgorithm: 'ES256', oauth: { issuer: 'https://id' } });
    expect(text('mail alice@example.com', pii)).toBe('mail [REDACTED]');
    expect(text('a@b is no address', pii)).toBe('a@b is no address');
  });
});

