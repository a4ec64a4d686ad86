/**
 * Cost of bearer-JWT authentication per request, on Fastify and Express in one run: requests per second
 * of a `@Public()` route, of the same route with one reused RS256 token (verified-token cache), and with a
 * fresh token per request (every request a full RS256 verification; tokens pre-minted, each used once).
 *
 *   cd bench && node --import @swc-node/register/esm-register auth-overhead.ts [seconds=10] [freshTokens=20000]
 *
 * Writes auth-overhead.results.md next to this file. Benchmarks are not tests: nothing is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { TestIssuer } from '../packages/nest/src/testing/index.js';

const SECONDS = Number(process.argv[2] ?? 10);
const FRESH = Number(process.argv[3] ?? 20_000);
const CONNECTIONS = 20;
const ROUNDS = 3;

interface Row {
  adapter: string;
  audit: string;
  scenario: string;
  rps: number;
  /** Server CPU time per request, µs. */
  cpu: number;
  p99: number;
  non2xx: number;
}

async function startServer(adapter: string, audit: string, jwt: unknown): Promise<{ url: string; child: ChildProcess }> {
  // stdout (the audit log's JSON lines) goes to /dev/null, as to a log shipper; the port comes over IPC.
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'auth-overhead-app.ts', adapter, audit], {
    cwd: import.meta.dirname,
    env: { ...process.env, BENCH_JWT: JSON.stringify(jwt) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', () => reject(new Error(`${adapter} app did not start`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

function median(rounds: Row[]): Row {
  return [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]!;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

let server: ChildProcess;

function serverCpu(): Promise<number> {
  return new Promise((resolve) => {
    server.once('message', (m) => resolve((m as { cpu: number }).cpu));
    server.send('cpu');
  });
}

async function measure(adapter: string, audit: string, scenario: string, options: autocannon.Options): Promise<Row> {
  const cpuBefore = await serverCpu();
  const result = await run({ connections: CONNECTIONS, ...options });
  const cpu = Math.round((await serverCpu()) - cpuBefore) / Math.max(1, result.requests.total);
  const elapsedSeconds = result.duration;
  const rps = Math.round(result.requests.total / elapsedSeconds);
  const row = { adapter, audit, scenario, rps, cpu: Math.round(cpu), p99: result.latency.p99, non2xx: result.non2xx + result.errors };
  console.log(`${adapter.padEnd(8)} ${audit.padEnd(10)} ${scenario.padEnd(36)} ${String(rps).padStart(7)} req/s  ${String(row.cpu).padStart(5)} µs CPU/req  p99 ${row.p99} ms  non-2xx ${row.non2xx}`);
  return row;
}

const issuer = await TestIssuer.start({ algorithm: 'RS256' });
const reused = await issuer.sign({ sub: 'bench-user', scope: 'orders:read' }, { expiresIn: 3600 });
console.log(`minting ${FRESH} fresh RS256 tokens…`);
const rows: Row[] = [];

const RUNS = ['fastify', 'express'].flatMap((adapter) => ['audit-on', 'audit-no-successes', 'audit-off'].map((audit) => [adapter, audit] as const));
// One pool serves every run: each run is a new app process whose token cache starts empty.
const pool: string[] = [];
for (let i = 0; i < FRESH; i++) pool.push(await issuer.sign({ sub: `user-${i}`, scope: 'orders:read' }, { expiresIn: 3600 }));
for (const [adapter, audit] of RUNS) {
  const { url, child } = await startServer(adapter, audit, issuer.options());
  server = child;
  try {
    await run({ url: `${url}/public`, connections: CONNECTIONS, duration: 2 });
    await run({ url: `${url}/protected`, connections: CONNECTIONS, duration: 2, headers: { authorization: `Bearer ${reused}` } });
    // Alternating rounds, median kept: on a shared machine the load changes during a run.
    const publicRounds: Row[] = [];
    const reusedRounds: Row[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      publicRounds.push(await measure(adapter, audit, '@Public() route', { url: `${url}/public`, duration: SECONDS }));
      reusedRounds.push(await measure(adapter, audit, 'protected, reused RS256 token', { url: `${url}/protected`, duration: SECONDS, headers: { authorization: `Bearer ${reused}` } }));
    }
    rows.push(median(publicRounds), median(reusedRounds));
    let next = 0;
    rows.push(
      await measure(adapter, audit, 'protected, fresh RS256 token each', {
        url,
        amount: FRESH,
        requests: [
          {
            method: 'GET',
            path: '/protected',
            setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${pool[next++ % pool.length]}` } }),
          },
        ],
      }),
    );
  } finally {
    child.kill('SIGTERM');
  }
}
await issuer.close();

const publicOf = (r: Row) => rows.find((p) => p.adapter === r.adapter && p.audit === r.audit && p.scenario === '@Public() route')!;
const lines = [
  '# auth-overhead benchmark',
  '',
  `\`cd bench && node --import @swc-node/register/esm-register auth-overhead.ts ${SECONDS} ${FRESH}\` — Node ${process.version}, ${CONNECTIONS} connections,`,
  `median of ${ROUNDS} alternating ${SECONDS} s runs for public/reused; the fresh-token run sends ${FRESH} requests, each with a token never seen before. App in a child process.`,
  '',
  'audit-on: every event as a JSON line on stdout (discarded), successes included (`audit: { successes: true }`); audit-no-successes: the default (failures, denials and alerts only); audit-off: `audit: { sink: false }`.',
  'Throttling and brute-force blocking are off in the app (one load generator would be throttled).',
  '',
  'CPU/req: server process CPU time (user + system) per request, µs; less sensitive than req/s to other load on the machine.',
  '',
  '| adapter | audit log | scenario | req/s | vs public | server CPU/req (µs) | auth CPU/req (µs) | p99 (ms) | non-2xx |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.adapter} | ${r.audit} | ${r.scenario} | ${r.rps} | ${Math.round((r.rps / publicOf(r).rps) * 100)}% | ${r.cpu} | ${r.cpu - publicOf(r).cpu} | ${r.p99} | ${r.non2xx} |`),
  '',
];
writeFileSync(new URL('./auth-overhead.results.md', import.meta.url), lines.join('\n'));
console.log(lines.join('\n'));
