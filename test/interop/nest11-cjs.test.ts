import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestIssuer } from '../../packages/nest/src/testing/index.js';
import { ROOT, makeTempDir, tarballs } from '../support/pack.js';

// A NestJS 11 CommonJS app (most production apps today) installs @bastion/nest from its packed tarball, exactly
// as a user would, compiles with `module: commonjs`, and runs on both adapters against a real JWKS endpoint.
const AUDIENCE = 'nest11-api';
let workDir: string;
let issuer: TestIssuer;

beforeAll(async () => {
  workDir = makeTempDir('bastion-nest11-');
  cpSync(join(ROOT, 'test/fixtures/nest11-cjs'), workDir, { recursive: true });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarballs()['@bastion/nest']], { cwd: workDir, stdio: 'pipe' });
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { cwd: workDir, stdio: 'pipe' });
  issuer = await TestIssuer.start({ audience: AUDIENCE });
}, 300_000);

afterAll(async () => {
  await issuer?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function startFixture(adapter: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: workDir,
    env: { ...process.env, ADAPTER: adapter, JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: AUDIENCE, JWKS_URI: issuer.jwksUri },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d));
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`fixture exited with ${code}: ${err}`)));
  });
}

describe('NestJS 11 CommonJS app under jest', () => {
  it('runs its jest + ts-jest e2e spec against @bastion/nest and @bastion/nest/testing', () => {
    const out = execFileSync('npm', ['run', 'test:e2e', '--silent'], { cwd: workDir, stdio: 'pipe', encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(out + '').not.toContain('FAIL');
  }, 180_000);
});

describe.each(['express', 'fastify'])('NestJS 11 CommonJS app (%s)', (adapter) => {
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    ({ child, url } = await startFixture(adapter));
  }, 60_000);
  afterAll(() => {
    child?.kill();
  });

  it('loads the CommonJS build and serves a public route', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('denies a protected route without a token with problem+json and a challenge', async () => {
    const res = await fetch(`${url}/me`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_UNAUTHENTICATED');
  });

  it('accepts a valid token and exposes the principal', async () => {
    const token = await issuer.sign({ sub: 'user-11', scope: 'orders:read' });
    const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ subject: 'user-11', scopes: ['orders:read'] });
  });

  it('parses, validates and limits JSON bodies (strict pipe, 400 without echo, 413)', async () => {
    const token = await issuer.sign({ sub: 'user-11' });
    const post = (body: string) =>
      fetch(`${url}/greetings`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    const ok = await post(JSON.stringify({ name: 'ada' }));
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ greeting: 'hello ada' });
    const invalid = await post(JSON.stringify({ name: 'ada', admin: 'zz-extra-zz' }));
    expect(invalid.status).toBe(400);
    const text = await invalid.text();
    expect(JSON.parse(text).code).toBe('ERR_VALIDATION');
    expect(text).not.toContain('zz-extra-zz');
    const polluted = await post('{"name":"ada","__proto__":{"admin":true}}');
    expect(polluted.status).toBe(400);
    const huge = await post(JSON.stringify({ name: 'x'.repeat(200_000) }));
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('rejects a tampered token with the uniform 401', async () => {
    const token = await issuer.sign({ sub: 'user-11' });
    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin', iss: issuer.issuer, aud: AUDIENCE, exp: 9999999999 })).toString('base64url')}.${s}`;
    expect(p).not.toBe(forged.split('.')[1]);
    const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(((await res.json()) as { code: string }).code).toBe('ERR_INVALID_TOKEN');
  });
});
