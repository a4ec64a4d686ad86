/**
 * Requests per second through the Bastion gateway vs calling the upstream directly, Fastify and Express,
 * in one run: the upstream is a plain Node HTTP server; the gateway adds Bastion's checks, header
 * filtering and the undici hop. CPU µs per request of the gateway process and of the upstream process.
 *
 *   cd bench && pnpm --filter @bastion/nest build && node --import @swc-node/register/esm-register gateway.ts [seconds=5]
 *
 * Writes gateway.results.md next to this file. Benchmarks are not tests: nothing is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = 20;
const ROUNDS = 3;

function start(...args: string[]): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'gateway-app.ts', ...args], {
    cwd: import.meta.dirname,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ port: (m as { port: number }).port, child }));
    child.once('exit', () => reject(new Error(`${args.join(' ')} did not start`)));
  });
}

const cpuOf = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    child.once('message', (m) => resolve((m as { cpu: number }).cpu));
    child.send('cpu');
  });

const run = (url: string, duration: number) =>
  new Promise<autocannon.Result>((resolve, reject) => autocannon({ url, connections: CONNECTIONS, duration }, (error, result) => (error ? reject(error) : resolve(result))));

interface Row {
  adapter: string;
  path: 'direct' | 'gateway';
  rps: number;
  gatewayCpu: number;
  upstreamCpu: number;
  p99: number;
  non2xx: number;
}

const upstream = await start('upstream');
const direct = `http://127.0.0.1:${upstream.port}/item`;
const rows: Row[] = [];
try {
  for (const adapter of ['fastify', 'express']) {
    const gateway = await start(adapter, `http://127.0.0.1:${upstream.port}`);
    const through = `http://127.0.0.1:${gateway.port}/svc/item`;
    try {
      // Warm-up: the gateway's JIT settles later than the plain server's.
      await run(direct, 2);
      await run(through, 5);
      const rounds: Record<Row['path'], Row[]> = { direct: [], gateway: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const [path, url] of [['direct', direct], ['gateway', through]] as const) {
          const [g0, u0] = [await cpuOf(gateway.child), await cpuOf(upstream.child)];
          const result = await run(url, SECONDS);
          const n = Math.max(1, result.requests.total);
          const row: Row = {
            adapter,
            path,
            rps: Math.round(result.requests.total / result.duration),
            gatewayCpu: path === 'gateway' ? Math.round(((await cpuOf(gateway.child)) - g0) / n) : 0,
            upstreamCpu: Math.round(((await cpuOf(upstream.child)) - u0) / n),
            p99: result.latency.p99,
            non2xx: result.non2xx + result.errors,
          };
          console.log(`${adapter.padEnd(8)} ${path.padEnd(8)} ${String(row.rps).padStart(7)} req/s  gateway ${row.gatewayCpu} µs/req  upstream ${row.upstreamCpu} µs/req  p99 ${row.p99} ms  non-2xx ${row.non2xx}`);
          rounds[path].push(row);
        }
      }
      for (const list of Object.values(rounds)) rows.push([...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)]!);
    } finally {
      gateway.child.kill('SIGTERM');
    }
  }
} finally {
  upstream.child.kill('SIGTERM');
}

const directOf = (r: Row) => rows.find((d) => d.adapter === r.adapter && d.path === 'direct')!;
const lines = [
  '# gateway benchmark',
  '',
  `\`cd bench && node --import @swc-node/register/esm-register gateway.ts ${process.argv.slice(2).join(' ')}\` — Node ${process.version}, ${CONNECTIONS} connections,`,
  `median of ${ROUNDS} alternating ${SECONDS} s runs; upstream (plain Node HTTP), gateway and load generator each in their own process.`,
  'Ratio: gateway req/s over direct req/s in the same run. CPU/req: process CPU time (user + system) per request, µs.',
  '',
  '| adapter | path | req/s | vs direct | gateway CPU/req (µs) | upstream CPU/req (µs) | p99 (ms) | non-2xx |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.adapter} | ${r.path} | ${r.rps} | ${(r.rps / directOf(r).rps).toFixed(2)}× | ${r.path === 'gateway' ? r.gatewayCpu : '–'} | ${r.upstreamCpu} | ${r.p99} | ${r.non2xx} |`),
  '',
];
writeFileSync(new URL('./gateway.results.md', import.meta.url), lines.join('\n'));
console.log(lines.join('\n'));
