/**
 * CPU cost per request of Bastion's telemetry, on and off, in the same run: the same app in four child
 * processes (see telemetry-overhead-app.ts: no SDK; metrics; an SDK tracing every request without
 * Bastion's telemetry; the same with Bastion's metrics and spans), measured in interleaved rounds on a
 * `@Public()` route, a protected route with a reused RS256 token, and the 401 of a request without one.
 *
 *   cd bench && node --import @swc-node/register/esm-register telemetry-overhead.ts [seconds=5] [rounds=3] [adapters=fastify,express]
 *
 * Writes telemetry-overhead.results.md next to this file. Benchmarks are not tests: nothing is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { TestIssuer } from '../packages/nest/src/testing/index.js';

const SECONDS = Number(process.argv[2] ?? 5);
const ROUNDS = Number(process.argv[3] ?? 3);
const ADAPTERS = (process.argv[4] ?? 'fastify,express').split(',');
const MODES = ['off', 'metrics', 'sdk-traced', 'traced'] as const;
const CONNECTIONS = 10;

type Mode = (typeof MODES)[number];
interface App {
  url: string;
  child: ChildProcess;
}

async function startApp(adapter: string, mode: Mode, jwt: unknown): Promise<App> {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'telemetry-overhead-app.ts', adapter, mode], {
    cwd: import.meta.dirname,
    env: { ...process.env, BENCH_JWT: JSON.stringify(jwt) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', () => reject(new Error(`${adapter} ${mode} app did not start`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve((m as { cpu: number }).cpu));
    child.send('cpu');
  });
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon({ connections: CONNECTIONS, ...options }, (error, result) => (error ? reject(error) : resolve(result))));
}

/** Server CPU µs per request and req/s of one run. */
async function measure(app: App, path: string, headers: Record<string, string>, seconds: number): Promise<{ cpu: number; rps: number; codes: string }> {
  const before = await cpuOf(app.child);
  const result = await load({ url: `${app.url}${path}`, duration: seconds, headers });
  const cpu = ((await cpuOf(app.child)) - before) / Math.max(1, result.requests.total);
  const codes = Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => `${code}×${s.count}`).join(' ');
  return { cpu, rps: Math.round(result.requests.total / result.duration), codes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const issuer = await TestIssuer.start({ algorithm: 'RS256' });
const token = await issuer.sign({ sub: 'bench-user', scope: 'orders:read' }, { expiresIn: 3600 });
const SCENARIOS: { name: string; path: string; headers: Record<string, string> }[] = [
  { name: '@Public() route', path: '/public', headers: {} },
  { name: 'protected, reused RS256 token', path: '/protected', headers: { authorization: `Bearer ${token}` } },
  { name: 'protected, no token (401)', path: '/protected', headers: {} },
];
const rows: string[] = [];
const load0 = loadavg()[0]!.toFixed(1);
for (const adapter of ADAPTERS) {
  const apps = new Map<Mode, App>();
  for (const mode of MODES) apps.set(mode, await startApp(adapter, mode, issuer.options()));
  try {
    const samples = new Map<string, { cpu: number[]; rps: number[]; codes: string }>();
    for (const app of apps.values()) for (const s of SCENARIOS) await load({ url: `${app.url}${s.path}`, duration: 2, headers: s.headers });
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of SCENARIOS) {
        for (const mode of MODES) {
          const m = await measure(apps.get(mode)!, s.path, s.headers, SECONDS);
          const key = `${s.name}|${mode}`;
          const entry = samples.get(key) ?? { cpu: [], rps: [], codes: m.codes };
          entry.cpu.push(m.cpu);
          entry.rps.push(m.rps);
          samples.set(key, entry);
          console.log(`${adapter} ${s.name.padEnd(32)} ${mode.padEnd(10)} ${m.cpu.toFixed(1).padStart(7)} µs CPU/req ${String(m.rps).padStart(6)} req/s  ${m.codes}`);
        }
      }
    }
    for (const s of SCENARIOS) {
      const cpu = (mode: Mode) => median(samples.get(`${s.name}|${mode}`)!.cpu);
      const rps = (mode: Mode) => median(samples.get(`${s.name}|${mode}`)!.rps);
      const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(0)}%`;
      rows.push(
        `| ${adapter} | ${s.name} | ${cpu('off').toFixed(0)} | ${cpu('metrics').toFixed(0)} (${pct(cpu('metrics'), cpu('off'))}, +${(cpu('metrics') - cpu('off')).toFixed(0)} µs) | ${cpu('sdk-traced').toFixed(0)} | ${cpu('traced').toFixed(0)} (${pct(cpu('traced'), cpu('sdk-traced'))}, +${(cpu('traced') - cpu('sdk-traced')).toFixed(0)} µs) | ${rps('off')} / ${rps('metrics')} / ${rps('sdk-traced')} / ${rps('traced')} | ${samples.get(`${s.name}|off`)!.codes.replace(/×\d+/g, '')} |`,
      );
    }
  } finally {
    for (const app of apps.values()) app.child.kill('SIGTERM');
  }
}
await issuer.close();

const lines = [
  '# telemetry-overhead benchmark',
  '',
  `\`cd bench && node --import @swc-node/register/esm-register telemetry-overhead.ts ${SECONDS} ${ROUNDS} ${ADAPTERS.join(',')}\` — Node ${process.version}, ${CONNECTIONS} connections,`,
  `median of ${ROUNDS} interleaved ${SECONDS} s runs per mode; the four apps run side by side (one child process each). Load average at start: ${load0}.`,
  '',
  'off: no OpenTelemetry SDK. metrics: Bastion\'s metrics into a MeterProvider with the Prometheus exporter (never scraped during the run).',
  'sdk-traced: a tracer provider, a server span per request (as the HTTP instrumentation makes), batched to a discarding exporter; Bastion\'s telemetry disabled.',
  'traced: the same, plus Bastion\'s metrics and its per-step spans. Each app has Bastion\'s defaults: throttling (limits the load never reaches),',
  'brute-force blocking, revocation checks, in-memory store, audit of failures to stdout (discarded).',
  '',
  'Server CPU per request (user + system of the app process, µs): less sensitive than req/s to other load on the machine.',
  '',
  '| adapter | scenario | off (µs) | metrics (µs, vs off) | sdk-traced (µs) | traced (µs, vs sdk-traced) | req/s off / metrics / sdk-traced / traced | status |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
];
writeFileSync(new URL('./telemetry-overhead.results.md', import.meta.url), lines.join('\n'));
console.log(lines.join('\n'));
