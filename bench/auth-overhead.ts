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
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { TestIssuer } from '../packages/nest/src/testing/index.js';

const SECONDS = Number(process.argv[2] ?? 10);
const FRESH = Number(process.argv[3] ?? 20_000);
const CONNECTIONS = 20;

interface Row {
  adapter: string;
  scenario: string;
  rps: number;
  p99: number;
  non2xx: number;
}

async function startServer(adapter: string, jwt: unknown): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'auth-overhead-app.ts', adapter], {
    cwd: import.meta.dirname,
    env: { ...process.env, BENCH_JWT: JSON.stringify(jwt) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const match = /^READY (\d+)$/.exec(line);
    if (match) return { url: `http://127.0.0.1:${match[1]}`, child };
  }
  throw new Error(`${adapter} app did not start`);
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function measure(adapter: string, scenario: string, options: autocannon.Options): Promise<Row> {
  const result = await run({ connections: CONNECTIONS, ...options });
  const elapsedSeconds = result.duration;
  const rps = Math.round(result.requests.total / elapsedSeconds);
  const row = { adapter, scenario, rps, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
  console.log(`${adapter.padEnd(8)} ${scenario.padEnd(36)} ${String(rps).padStart(7)} req/s  p99 ${row.p99} ms  non-2xx ${row.non2xx}`);
  return row;
}

const issuer = await TestIssuer.start({ algorithm: 'RS256' });
const reused = await issuer.sign({ sub: 'bench-user', scope: 'orders:read' }, { expiresIn: 3600 });
console.log(`minting ${FRESH} fresh RS256 tokens per adapter…`);
const rows: Row[] = [];

for (const adapter of ['fastify', 'express']) {
  const pool: string[] = [];
  for (let i = 0; i < FRESH; i++) pool.push(await issuer.sign({ sub: `user-${i}`, scope: 'orders:read' }, { expiresIn: 3600 }));
  const { url, child } = await startServer(adapter, issuer.options());
  try {
    await run({ url: `${url}/public`, connections: CONNECTIONS, duration: 2 });
    await run({ url: `${url}/protected`, connections: CONNECTIONS, duration: 2, headers: { authorization: `Bearer ${reused}` } });
    rows.push(await measure(adapter, '@Public() route', { url: `${url}/public`, duration: SECONDS }));
    rows.push(await measure(adapter, 'protected, reused RS256 token', { url: `${url}/protected`, duration: SECONDS, headers: { authorization: `Bearer ${reused}` } }));
    let next = 0;
    rows.push(
      await measure(adapter, 'protected, fresh RS256 token each', {
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

const byAdapter = (adapter: string, scenario: string) => rows.find((r) => r.adapter === adapter && r.scenario === scenario)!;
const lines = [
  '# auth-overhead benchmark',
  '',
  `\`cd bench && node --import @swc-node/register/esm-register auth-overhead.ts ${SECONDS} ${FRESH}\` — Node ${process.version}, ${CONNECTIONS} connections,`,
  `${SECONDS} s per duration run; the fresh-token run sends ${FRESH} requests, each with a token never seen before. App in a child process.`,
  '',
  '| adapter | scenario | req/s | p99 (ms) | non-2xx | vs public |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.adapter} | ${r.scenario} | ${r.rps} | ${r.p99} | ${r.non2xx} | ${Math.round((r.rps / byAdapter(r.adapter, '@Public() route').rps) * 100)}% |`),
  '',
];
writeFileSync(new URL('./auth-overhead.results.md', import.meta.url), lines.join('\n'));
console.log(lines.join('\n'));
