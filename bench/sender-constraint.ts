/**
 * Cost of sender-constrained credentials next to a plain bearer token, in one run:
 * 1. in process (CPU µs per call, one core): the cached bearer-JWT verification every request pays; a raw
 *    `crypto.verify` of an ES256 proof's signature with a prepared key (the floor); the proof check as it
 *    was before (strict parse, then `jose`'s `compactVerify`, which parses again) and as it is; the whole
 *    DPoP authenticator (proof, cached token, binding, `jti` record in the memory security state) on
 *    request contexts built beforehand, as the HTTP layer builds them; and the mTLS authenticator on a
 *    certificate forwarded by a trusted proxy (parse, chain, SAN).
 * 2. over HTTP (Fastify, Express): server CPU µs per request of a `@Public()` route, the route with one
 *    reused bearer token, and with a DPoP-bound token and a fresh proof per request (pre-signed, each used once).
 *
 *   cd bench && node --import @swc-node/register/esm-register sender-constraint.ts [seconds=5] [proofs=10000]
 *
 * Writes sender-constraint.results.md next to this file. Benchmarks are not tests: nothing is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { compactVerify } from 'jose';
import { DpopAuthenticator } from '../packages/nest/src/authentication/dpop/dpop.authenticator.js';
import { resolveDpopOptions } from '../packages/nest/src/authentication/dpop/dpop-config.js';
import { verifyDpopProof } from '../packages/nest/src/authentication/dpop/dpop-proof.js';
import { decodeSegment } from '../packages/nest/src/authentication/jwt/compact-jws.js';
import { parseStrictJsonObject } from '../packages/nest/src/authentication/jwt/strict-json.js';
import { AccessTokenVerifier } from '../packages/nest/src/authentication/issuers/access-token-verifier.js';
import { resolveIssuers } from '../packages/nest/src/authentication/issuers/resolve-issuers.js';
import { JwtVerifier } from '../packages/nest/src/authentication/jwt/jwt-verifier.js';
import { resolveMtlsConfig } from '../packages/nest/src/authentication/mtls/mtls-config.js';
import { MtlsAuthenticator } from '../packages/nest/src/authentication/mtls/mtls.authenticator.js';
import { HttpRequestContext, type NodeRequest } from '../packages/nest/src/contexts/http/http-request-context.js';
import type { RequestContext } from '../packages/nest/src/core/request-context.js';
import { resolveClient } from '../packages/nest/src/net/forwarded.js';
import { TrustedProxies } from '../packages/nest/src/net/trusted-proxies.js';
import { MemorySecurityStore } from '../packages/nest/src/stores/memory-security.store.js';
import { rememberOnce } from '../packages/nest/src/stores/security-state.interface.js';
import { TestCertificateAuthority, TestDpopClient, TestIssuer } from '../packages/nest/src/testing/index.js';

const SECONDS = Number(process.argv[2] ?? 5);
const PROOFS = Number(process.argv[3] ?? 10_000);
const CONNECTIONS = 20;
const ROUNDS = 3;

const issuer = await TestIssuer.start({ algorithm: 'RS256' });
const client = await TestDpopClient.create({ algorithm: 'ES256' });
const bearer = await issuer.sign({ sub: 'bench-user' }, { expiresIn: 3600 });
const bound = await issuer.signDpopBound(client, { sub: 'bench-user' }, { expiresIn: 3600 });

/**
 * Runs `fn` on input(0), input(1)… for about `seconds` (at most `limit` times, after 200 warm-up calls);
 * returns CPU µs per call (this process's user + system time, less sensitive to other load than wall time).
 */
async function cpuPerCall<T>(limit: number, input: (i: number) => T, fn: (input: T) => unknown): Promise<number> {
  for (let i = 0; i < 200; i++) await fn(input(i));
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let n = 200;
  while (Number(process.hrtime.bigint() - start) / 1e9 < SECONDS && n < limit) await fn(input(n++));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / (n - 200);
}

const trusted = new TrustedProxies();
/** The request context the HTTP layer would build for `GET /protected` with these headers, from 127.0.0.1. */
const request = (headers: Record<string, string>): RequestContext => {
  const raw = { headers, rawHeaders: Object.entries(headers).flat(), method: 'GET', url: '/protected', socket: { remoteAddress: '127.0.0.1' } } as unknown as NodeRequest;
  return new HttpRequestContext(raw, raw, resolveClient({ peer: '127.0.0.1', host: headers.host }, trusted), []);
};

// 1. In process.
const issuers = resolveIssuers({ jwt: issuer.options() });
const verifier = new JwtVerifier(issuers);
const accessTokens = new AccessTokenVerifier(verifier, null, issuers);
// Keys fetched before anything is timed (a cached token is what every request but the first pays).
await accessTokens.verify(bearer);
const dpop = resolveDpopOptions({ maxAge: 600 })!;
const security = new MemorySecurityStore();
const authenticator = new DpopAuthenticator(dpop, { verifyToken: (t) => accessTokens.verify(t), rememberOnce: (key, ttl) => rememberOnce(security, key, ttl) });
console.log(`signing ${PROOFS} proofs…`);
const target = 'http://bench.local/protected';
const proofs: string[] = [];
for (let i = 0; i < 2 * PROOFS; i++) proofs.push(await client.proof('GET', target, { accessToken: bound }));
const proofKey = createPublicKey({ key: JSON.parse(Buffer.from(proofs[0]!.split('.')[0]!, 'base64url').toString('utf8')).jwk, format: 'jwk' });
/** The proof check before this change: both segments parsed strictly, then `jose` parses and verifies again. */
const previousProofCheck = async (proof: string) => {
  const [header, payload] = proof.split('.');
  parseStrictJsonObject(decodeSegment(header!, 'header').toString('utf8'));
  parseStrictJsonObject(decodeSegment(payload!, 'payload').toString('utf8'));
  await compactVerify(proof, proofKey, { algorithms: ['ES256'] });
};
const contexts = proofs.slice(PROOFS).map((proof) => request({ host: 'bench.local', authorization: `DPoP ${bound}`, dpop: proof }));
const expect = { method: 'GET', uris: [target], accessToken: bound, algorithms: dpop.algorithms, now: Date.now() / 1000, maxAge: 600, clockTolerance: 5 };
const ca = await TestCertificateAuthority.create();
const cert = await ca.issue({ commonName: 'billing-worker', dns: ['billing.internal'] });
const mtls = new MtlsAuthenticator(
  resolveMtlsConfig({ ca: ca.certificate, clients: [{ clientId: 'billing-worker', tls_client_auth_san_dns: 'billing.internal' }], forwarded: {} }, trusted)!,
  () => undefined,
);
const clientCert = `:${new X509Certificate(cert.certificate).raw.toString('base64')}:`;
const micro = [
  ['bearer JWT, cached (JwtVerifier.verify of a reused RS256 token)', await cpuPerCall(Infinity, () => bearer, (t) => verifier.verify(t))],
  [
    'raw crypto.verify of an ES256 proof signature (prepared KeyObject)',
    await cpuPerCall(PROOFS, (i) => proofs[i]!.split('.'), ([h, p, sig]) => verify('sha256', Buffer.from(`${h}.${p}`), { key: proofKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig!, 'base64url'))),
  ],
  ['DPoP proof check, previous path (strict parse + jose compactVerify)', await cpuPerCall(PROOFS, (i) => proofs[i]!, previousProofCheck)],
  ['DPoP proof check (ES256, verifyDpopProof)', await cpuPerCall(PROOFS, (i) => proofs[i]!, (p) => verifyDpopProof(p, expect))],
  ['DPoP authenticator (proof + cached token + binding + jti in memory security state)', await cpuPerCall(PROOFS, (i) => contexts[i]!, (ctx) => authenticator.authenticate(ctx))],
  ['mTLS authenticator, forwarded Client-Cert (parse, chain to CA, SAN match)', await cpuPerCall(Infinity, () => request({ 'client-cert': clientCert }), (r) => mtls.authenticate(r))],
] as const;
for (const [name, us] of micro) console.log(`${us.toFixed(1).padStart(8)} µs CPU/op  ${name}`);
await ca.close();

// 2. Over HTTP.
interface Row {
  adapter: string;
  scenario: string;
  rps: number;
  cpu: number;
  non2xx: number;
}
let server: ChildProcess;
const serverCpu = () =>
  new Promise<number>((resolve) => {
    server.once('message', (m) => resolve((m as { cpu: number }).cpu));
    server.send('cpu');
  });
const run = (options: autocannon.Options) => new Promise<autocannon.Result>((resolve, reject) => autocannon(options, (e, r) => (e ? reject(e) : resolve(r))));
async function measure(adapter: string, scenario: string, options: autocannon.Options): Promise<Row> {
  const before = await serverCpu();
  const result = await run({ connections: CONNECTIONS, ...options });
  const row = { adapter, scenario, rps: Math.round(result.requests.total / result.duration), cpu: Math.round(((await serverCpu()) - before) / Math.max(1, result.requests.total)), non2xx: result.non2xx + result.errors };
  console.log(`${adapter.padEnd(8)} ${scenario.padEnd(44)} ${String(row.rps).padStart(6)} req/s ${String(row.cpu).padStart(5)} µs CPU/req  non-2xx ${row.non2xx}`);
  return row;
}
const rows: Row[] = [];
for (const adapter of ['fastify', 'express']) {
  server = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'auth-overhead-app.ts', adapter], {
    cwd: import.meta.dirname,
    env: { ...process.env, BENCH_JWT: JSON.stringify(issuer.options()), BENCH_DPOP: JSON.stringify({ maxAge: 600 }) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve((m as { port: number }).port)));
  const url = `http://127.0.0.1:${port}`;
  try {
    const fresh: string[] = [];
    for (let i = 0; i < PROOFS; i++) fresh.push(await client.proof('GET', `${url}/protected`, { accessToken: bound }));
    let next = 0;
    const scenarios: [string, (duration: number) => autocannon.Options][] = [
      ['@Public() route', (duration) => ({ url: `${url}/public`, duration })],
      ['protected, reused bearer token', (duration) => ({ url: `${url}/protected`, duration, headers: { authorization: `Bearer ${bearer}` } })],
      [
        'protected, DPoP-bound token, fresh proof each',
        () => ({
          url,
          amount: Math.floor(PROOFS / (ROUNDS + 1)),
          requests: [{ method: 'GET', path: '/protected', setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `DPoP ${bound}`, dpop: fresh[next++]! } }) }],
        }),
      ],
    ];
    for (const [, options] of scenarios) await run({ connections: CONNECTIONS, ...options(2) });
    const rounds = new Map<string, Row[]>(scenarios.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) for (const [name, options] of scenarios) rounds.get(name)!.push(await measure(adapter, name, options(SECONDS)));
    for (const list of rounds.values()) rows.push([...list].sort((a, b) => a.cpu - b.cpu)[Math.floor(list.length / 2)]!);
  } finally {
    server.kill('SIGTERM');
  }
}
await issuer.close();

const publicOf = (r: Row) => rows.find((p) => p.adapter === r.adapter && p.scenario === '@Public() route')!;
const bearerOf = (r: Row) => rows.find((p) => p.adapter === r.adapter && p.scenario === 'protected, reused bearer token')!;
const lines = [
  '# sender-constraint benchmark',
  '',
  `\`cd bench && node --import @swc-node/register/esm-register sender-constraint.ts ${SECONDS} ${PROOFS}\` — Node ${process.version}, load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)} at the end.`,
  '',
  '## In process (one core)',
  '',
  '| operation | CPU µs/op | ops/s per core | vs cached bearer JWT | vs raw crypto.verify |',
  '|---|---|---|---|---|',
  ...micro.map(([name, us]) => `| ${name} | ${us.toFixed(1)} | ${Math.round(1e6 / us)} | ${(us / micro[0][1]).toFixed(1)}× | ${(us / micro[1][1]).toFixed(2)}× |`),
  '',
  `## Over HTTP (${CONNECTIONS} connections; app in a child process, throttling off, default audit)`,
  '',
  `CPU/req: server process CPU time per request (µs), median of ${ROUNDS} alternating rounds after a warm-up of each scenario. DPoP proofs are pre-signed, each used once (its \`jti\` is recorded).`,
  '',
  '| adapter | scenario | req/s | server CPU/req (µs) | over public (µs) | over bearer (µs) | non-2xx |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.adapter} | ${r.scenario} | ${r.rps} | ${r.cpu} | ${r.cpu - publicOf(r).cpu} | ${r.cpu - bearerOf(r).cpu} | ${r.non2xx} |`),
  '',
];
writeFileSync(new URL('./sender-constraint.results.md', import.meta.url), lines.join('\n'));
console.log(lines.join('\n'));
