import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtRejection } from '../../src/authentication/jwt/jwt-errors.js';
import { RemoteKeySet } from '../../src/authentication/jwt/remote-key-set.js';

const JWK = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: 'tls', alg: 'RS256' };

/** A JWKS served over HTTPS on 127.0.0.1 with a certificate from a private CA made for the test (openssl). */
describe('JWKS over HTTPS uses Node’s normal certificate trust', () => {
  let dir: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bastion-tls-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Bastion Test CA');
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1\\n" > ext.cnf'], { cwd: dir });
    run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf');
    server = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [JWK] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a JWKS whose certificate this process does not trust (TLS verification is never turned off)', async () => {
    const set = new RemoteKeySet({ jwksUri: url, maxAge: 600_000, cooldown: 30_000, timeout: 5_000, maxStale: 0 });
    const error = await set.getKey('tls', 'RS256').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JwtRejection);
    expect((error as JwtRejection).reason).toBe('ERR_JWKS_UNAVAILABLE');
  });

  it('trusts that certificate in a process started with NODE_EXTRA_CA_CERTS (the global fetch RemoteKeySet uses)', async () => {
    const script = `const r = await fetch(${JSON.stringify(url)}); const j = await r.json(); process.stdout.write(j.keys[0].kid);`;
    // Asynchronous: the server runs in this process and must keep answering while the child runs.
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') },
      encoding: 'utf8',
    });
    expect(stdout).toBe('tls');
  });
});
