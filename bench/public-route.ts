/**
 * Per-request cost of Bastion on a `@Public()` route, Fastify and Express in one run: plain NestJS, and
 * each Bastion build given (the one in this repository, and e.g. an older build to compare against).
 * Every app runs its defaults (configureBastion, all guards, throttling counted, audit log), limits set
 * out of the load generator's reach.
 *
 *   cd bench && pnpm --filter @bastion/nest build && node --import @swc-node/register/esm-register public-route.ts [seconds=5] [label=path/to/dist/esm/index.js …]
 *
 * Writes public-route.results.md next to this file. Benchmarks are not tests: nothing is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = 20;
const ROUNDS = 3;
const variants: [string, string][] = [
  ['plain NestJS', 'bare'],
  ['Bastion (this build)', fileURLToPath(new URL('../packages/nest/dist/esm/index.js', import.meta.url))],
  ...process.argv.slice(3).map((arg) => arg.split('=', 2) as [string, string]),
];

interface Row {
  adapter: string;
  variant: string;
  rps: number;
  /** Server CPU time per request, µs. */
  cpu: number;
  p99: number;
  non2xx: number;
}

function start(adapter: string, variant: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'public-route-app.ts', adapter, variant], {
    cwd: import.meta.dirname,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ url: `http://127.0.0.1:${(m as { port: number }).port}/public`, child }));
    child.once('exit', () => reject(new Error(`${adapter} ${variant} did not start`)));
  });
}

const cpuOf = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    child.once('message', (m) => resolve((m as { cpu: number }).cpu));
    child.send('cpu');
  });

const run = (options: autocannon.Options) =>
  new Promise<autocannon.Result>((resolve, reject) => autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));

const rows: Row[] = [];
for (const adapter of ['fastify', 'express']) {
  const apps = await Promise.all(variants.map(([, variant]) => start(adapter, variant)));
  try {
    for (const { url } of apps) await run({ url, connections: CONNECTIONS, duration: 2 });
    const rounds: Row[][] = variants.map(() => []);
    // Alternating rounds, median kept: on a shared machine the load changes during a run.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, { url, child }] of apps.entries()) {
        const before = await cpuOf(child);
        const result = await run({ url, connections: CONNECTIONS, duration: SECONDS });
        const cpu = Math.round(((await cpuOf(child)) - before) / Math.max(1, result.requests.total));
        const row = { adapter, variant: variants[i]![0], rps: Math.round(result.requests.total / result.duration), cpu, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
        console.log(`${adapter.padEnd(8)} ${row.variant.padEnd(28)} ${String(row.rps).padStart(7)} req/s ${String(cpu).padStart(5)} µs CPU/req  p99 ${row.p99} ms  non-2xx ${row.non2xx}`);
        rounds[i]!.push(row);
      }
    }
    for (const list of rounds) rows.push([...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)]!);
  } finally {
    for (const { child } of apps) child.kill('SIGTERM');
  }
}

const bare = (r: Row) => rows.find((b) => b.adapter === r.adapter && b.variant === 'plain NestJS')!;
const lines = [
  '# public-route benchmark',
  '',
  `\`cd bench && node --import @swc-node/register/esm-register public-route.ts ${process.argv.slice(2).join(' ')}\` — Node ${process.version}, ${CONNECTIONS} connections,`,
  `median of ${ROUNDS} alternating ${SECONDS} s runs per app; each app in its own child process.`,
  'CPU/req: server process CPU time (user + system) per request, µs; less sensitive than req/s to other load on the machine.',
  '',
  '| adapter | app | req/s | vs plain NestJS | server CPU/req (µs) | Bastion CPU/req (µs) | p99 (ms) | non-2xx |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.adapter} | ${r.variant} | ${r.rps} | ${(r.rps / bare(r).rps).toFixed(2)}× | ${r.cpu} | ${r.cpu - bare(r).cpu} | ${r.p99} | ${r.non2xx} |`),
  '',
];
writeFileSync(new URL('./public-route.results.md', import.meta.url), lines.join('\n'));
console.log(lines.join('\n'));
