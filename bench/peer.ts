/**
 * Peer benchmark: the same routes on bare Nest, on the stack a team wires by hand (passport-jwt +
 * jwks-rsa + helmet + ValidationPipe + @nestjs/throttler) and on Bastion, on Express and Fastify, in one
 * run. Each app is its own process on one core; autocannon runs here, on another core. Warm-up, then
 * interleaved rounds (every app, every scenario, every round) so drift on a shared machine hits all alike.
 *
 *   cd bench && node --import @swc-node/register/esm-register peer.ts            full: 3 rounds × 5 s (≈ 15 min)
 *   cd bench && node --import @swc-node/register/esm-register peer.ts --short    2 rounds × 2 s (≈ 4 min), for before/after checks
 *   cd bench && node --import @swc-node/register/esm-register peer.ts --rss      RSS over a 60 s run per app (≈ 10 min)
 *
 * Narrow any run with --adapters fastify --apps hand-wired,bastion --scenarios public,reused-rs256; the cost of
 * Bastion's telemetry: --apps bastion,bastion-metrics,bastion-sdk-traced,bastion-traced (peer/telemetry.ts);
 * change it with --rounds N --seconds S --fresh N (most requests per fresh-token window) --connections N --out FILE
 * --throttler-ttl MS (the hand-wired throttler's window; default the docs' 60,000);
 * --baseline PATH adds the *baseline* app: the Bastion app on another build (PATH: its `esm/index.js`, e.g. a copy
 * of `packages/nest/dist` under `bench/profiles/`, where it resolves its dependencies) — before/after figures of a
 * change from one run, interleaved like every app;
 * on a shared machine, --max-interference 0.25 (share of the machine other processes may use during a
 * window before it is measured again, at most --retries 1 times) and --quiet-wait 5 (s to wait for that much
 * quiet before a window; longer waits give cleaner figures on a machine that has quiet spells).
 * Needs a current build of packages/nest (`pnpm --filter @bastion/nest build`). Exits non-zero, after
 * writing what it measured, when any app answered wrong. Benchmarks are not tests: nothing else is asserted.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TestIssuer } from '@bastion/nest/testing';
import { ADAPTERS, APP_KINDS, TELEMETRY_APP_KINDS, type Adapter, type AppKind } from './peer/apps.js';
import { assertBastionBuilt } from './peer/built.js';
import { checkApp } from './peer/checks.js';
import { defect, measure, type LoadPlan, type Shot } from './peer/load.js';
import { Interference } from './peer/interference.js';
import { LoadSamples, describeMachine, pinLoadGenerator } from './peer/machine.js';
import { baselineTable, detailTable, mb, median, rawTable, summaryTable, telemetryTable, type Row } from './peer/report.js';
import { runRss } from './peer/rss.js';
import { SCENARIOS, scenario, type Scenario } from './peer/scenarios.js';
import { startServer, type ServerHandle } from './peer/servers.js';
import { ALGS, TokenPool, TokenSlice, reusedTokens, type Alg } from './peer/tokens.js';

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean' },
    rss: { type: 'boolean' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    fresh: { type: 'string' },
    connections: { type: 'string' },
    adapters: { type: 'string' },
    apps: { type: 'string' },
    scenarios: { type: 'string' },
    out: { type: 'string' },
    'max-interference': { type: 'string' },
    'quiet-wait': { type: 'string' },
    retries: { type: 'string' },
    'throttler-ttl': { type: 'string' },
    baseline: { type: 'string' },
  },
});

function list<T extends string>(value: string | undefined, all: readonly T[], what: string): T[] {
  if (value === undefined) return [...all];
  const picked = value.split(',').map((v) => v.trim()) as T[];
  for (const v of picked) if (!all.includes(v)) throw new Error(`unknown ${what} ${v} (one of ${all.join(', ')})`);
  return all.filter((v) => picked.includes(v));
}

const short = args.short === true;
const config = {
  rounds: Number(args.rounds ?? (short ? 2 : 3)),
  seconds: Number(args.seconds ?? (args.rss ? 60 : short ? 2 : 5)),
  fresh: Number(args.fresh ?? (short ? 2_500 : 8_000)),
  // Warm-up by request count (time-capped): on a busy machine a few seconds serve too few requests for
  // V8 to optimise the hot paths, and every later window would measure unoptimised code.
  warmRequests: short ? 2_000 : 5_000,
  warmFresh: short ? 1_000 : 2_000,
  warmCapSeconds: short ? 15 : 30,
  connections: Number(args.connections ?? 32),
  adapters: list<Adapter>(args.adapters, ADAPTERS, 'adapter'),
  apps: list<AppKind>(args.apps ?? APP_KINDS.filter((k) => k !== 'baseline' || args.baseline !== undefined).join(','), [...APP_KINDS, ...TELEMETRY_APP_KINDS], 'app'),
  scenarios: args.scenarios === undefined ? [...SCENARIOS] : args.scenarios.split(',').map((s) => scenario(s.trim())),
  /** Share of the machine other processes may use during a window before it is measured again. */
  maxInterference: Number(args['max-interference'] ?? 0.25),
  /** Longest wait for a quiet machine before each window, s. */
  quietWait: Number(args['quiet-wait'] ?? 5),
  /** Measurements again of a disturbed window. */
  retries: Number(args.retries ?? 1),
  /** The hand-wired throttler's `ttl`, ms (its storage's per-request cost grows with the hits inside it). */
  throttlerTtl: Number(args['throttler-ttl'] ?? 60_000),
};
const out = args.out ?? (args.rss ? 'peer-rss.results.md' : short ? 'peer.short.results.md' : 'peer.results.md');
const command = `cd bench && node --import @swc-node/register/esm-register peer.ts ${process.argv.slice(2).join(' ')}`.trim();

assertBastionBuilt();
const machine = describeMachine();
const pinning = pinLoadGenerator();
console.log(`${machine}; ${pinning ? `servers on core ${pinning.server}, load generator on core ${pinning.load}` : 'not pinned'}`);

const issuer = await TestIssuer.start({ algorithm: 'RS256', algorithms: ['ES256'] });
const jwt = { issuer: issuer.issuer, audience: issuer.audience, jwksUri: issuer.jwksUri };
const reused = await reusedTokens(issuer);
const servers: ServerHandle[] = [];
const loads = new LoadSamples();
/** Connection errors and timeouts during warm-up (a starved server); reported, not failed. */
const warmUpErrors: string[] = [];
const interference = new Interference(() => servers.map((s) => s.pid));

async function startAll(): Promise<void> {
  for (const adapter of config.adapters) {
    for (const app of config.apps) {
      const server = await startServer(app, adapter, jwt, { cpu: pinning?.server, throttlerTtl: config.throttlerTtl, baseline: args.baseline });
      servers.push(server);
      await checkApp(server, issuer, reused);
      console.log(`${app} ${adapter}: up on ${server.url}, answers as configured`);
    }
  }
}

/** Interleaved rounds; returns every window measured and the defects found. */
async function runRounds(): Promise<{ rows: Row[]; defects: string[] }> {
  const pools = Object.fromEntries(ALGS.map((alg) => [alg, new TokenPool(issuer, alg)])) as Record<Alg, TokenPool>;
  const log = (m: string) => console.log(m);
  // Margin: autocannon builds a request per connection ahead of the last responses.
  const freshSlice = async (alg: Alg, count: number) => pools[alg].take(count + 2 * config.connections + 16, log);
  const rows: Row[] = [];
  const defects: string[] = [];
  const plan = (tokens?: readonly string[], amount?: number): LoadPlan => ({
    connections: config.connections,
    seconds: config.seconds,
    reused,
    amount,
    fresh: tokens ? new TokenSlice(tokens) : undefined,
    interference,
  });

  /**
   * On a shared machine: waits for quiet, and measures again a window someone else's work disturbed (a
   * fresh-token retry gets tokens this app has never seen). The least disturbed attempt counts.
   */
  async function measureQuietly(server: ServerHandle, s: Scenario, fresh: readonly string[] | undefined): Promise<Shot> {
    let best: Shot | undefined;
    for (let attempt = 0; attempt <= config.retries; attempt++) {
      await interference.quiet(config.maxInterference, config.quietWait * 1000);
      const tokens = s.token?.fresh && attempt > 0 ? await freshSlice(s.token.alg, config.fresh) : fresh;
      const shot = await measure(server, s, plan(tokens, s.token?.fresh ? config.fresh : undefined));
      if (!best || shot.others < best.others) best = shot;
      if (shot.others <= config.maxInterference) break;
    }
    return best!;
  }

  console.log(`warm-up: ${config.warmRequests} requests (${config.warmFresh} with fresh tokens, at most ${config.warmCapSeconds} s) per app and scenario`);
  const warmTokens = Object.fromEntries(await Promise.all(ALGS.map(async (alg) => [alg, await freshSlice(alg, config.warmFresh)]))) as Record<Alg, readonly string[]>;
  for (const server of servers) {
    for (const s of config.scenarios) {
      const fresh = s.token?.fresh ? warmTokens[s.token.alg] : undefined;
      const shot = await measure(server, s, { ...plan(fresh, fresh ? config.warmFresh : config.warmRequests), seconds: config.warmCapSeconds });
      const problem = defect(shot, true);
      if (problem) defects.push(`warm-up ${server.kind} ${server.adapter} ${s.name}: ${problem}`);
      if (shot.errors + shot.timeouts > 0) warmUpErrors.push(`${server.kind} ${server.adapter} ${s.name}: ${shot.errors} errors (${shot.timeouts} timeouts)`);
    }
  }

  for (let round = 1; round <= config.rounds; round++) {
    for (const s of config.scenarios) {
      const fresh = s.token?.fresh ? await freshSlice(s.token.alg, config.fresh) : undefined;
      for (const adapter of config.adapters) {
        // The app order rotates each round, so no app always runs first after a scenario change.
        const inOrder = servers.filter((x) => x.adapter === adapter);
        const rotated = [...inOrder.slice((round - 1) % inOrder.length), ...inOrder.slice(0, (round - 1) % inOrder.length)];
        for (const server of rotated) {
          const shot = await measureQuietly(server, s, fresh);
          loads.sample();
          const row: Row = { ...shot, round, scenario: s, adapter, app: server.kind };
          rows.push(row);
          const problem = defect(shot);
          if (problem) defects.push(`round ${round} ${server.kind} ${adapter} ${s.name}: ${problem}`);
          console.log(
            `r${round} ${s.name.padEnd(13)} ${adapter.padEnd(8)} ${server.kind.padEnd(11)} ${String(shot.rps).padStart(6)} req/s ${String(shot.cpuUs).padStart(5)} µs CPU/req  p50 ${shot.p50} p99 ${shot.p99} ms  others ${Math.round(shot.others * 100)}%${problem ? `  !! ${problem}` : ''}`,
          );
        }
      }
    }
  }
  return { rows, defects };
}

function describeOthers(rows: Row[]): string {
  if (rows.length === 0) return 'not measured';
  const shares = rows.map((r) => r.others);
  const over = shares.filter((x) => x > config.maxInterference).length;
  return `median ${Math.round(median(shares) * 100)} %, max ${Math.round(Math.max(...shares) * 100)} %, ${over} of ${rows.length} windows above ${Math.round(config.maxInterference * 100)} %`;
}

function roundsReport(rows: Row[], defects: string[], rssEnd: Map<ServerHandle, { rss: number; heapUsed: number }>): string[] {
  return [
    '# peer benchmark',
    '',
    `\`${command}\``,
    '',
    `Machine: ${machine}. ${pinning ? `Servers pinned to core ${pinning.server} (\`taskset -c ${pinning.server}\`), load generator (autocannon, this process) to core ${pinning.load}.` : 'Not pinned (taskset or a second core unavailable).'}`,
    `Load average during the measured windows: ${loads.describe()}. Other processes' share of the machine during the windows (from /proc/stat, this benchmark's processes excluded): ${describeOthers(rows)}; before each window the run waited up to ${config.quietWait} s for a second with at most ${Math.round(config.maxInterference * 100)} %, and measured a window again (up to ${config.retries} times) when other processes took more during it, keeping the least disturbed.`,
    '',
    `${config.connections} connections, ${config.rounds} interleaved rounds; each window ${config.seconds} s (fresh-token windows: ${config.seconds} s or ${config.fresh} requests, whichever comes first; every token distinct, never sent twice to one app). Warm-up first: ${config.warmRequests} requests per app and scenario (${config.warmFresh} with fresh tokens; at most ${config.warmCapSeconds} s).`,
    'Apps: *bare* Nest (no guard, pipe or header); *hand-wired* `@nestjs/passport` + `passport-jwt` + `jwks-rsa` (cache and rate limit on) + `helmet` / `@fastify/helmet` + global `ValidationPipe` (whitelist, forbidNonWhitelisted, transform) + `@nestjs/throttler` guard (limit 10⁹ per `ttl` ' + config.throttlerTtl.toLocaleString('en-US') + ' ms); *Bastion* defaults with `throttle.principal`/`anonymous` at 10⁹/min and `configureBastion(app)`. One `TestIssuer` (RS256 + ES256 keys in one JWKS on loopback) serves both verifying apps. The bare app ignores tokens (its "protected" route is open).',
    'CPU µs/req: server process CPU time (user + system, all threads) over the window ÷ responses; steadier than req/s on a shared machine. Figures are medians over the rounds; ratios are of those medians.',
    '',
    '## Summary',
    '',
    ...summaryTable(rows, config.scenarios, config.adapters),
    '',
    'req/s ratio above 1: Bastion serves more; CPU ratio below 1: Bastion spends less per request.',
    '',
    ...(args.baseline !== undefined ? ['## Against the baseline build', '', `Baseline: \`${args.baseline}\`.`, '', ...baselineTable(rows, config.scenarios, config.adapters), ''] : []),
    ...(config.apps.some((a) => TELEMETRY_APP_KINDS.includes(a))
      ? ['## Telemetry', '', 'Bastion with an OpenTelemetry SDK (bench/peer/telemetry.ts): *bastion-metrics* records its metrics (Prometheus exporter, not scraped during a window); *bastion-sdk-traced* traces every request (a server span, as the HTTP instrumentation makes, batched to a discarding exporter) with Bastion\'s telemetry off; *bastion-traced* the same with Bastion\'s metrics and per-step spans.', '', ...telemetryTable(rows, config.scenarios, config.adapters), '']
      : []),
    '## Latency and spread',
    '',
    ...detailTable(rows, config.scenarios, config.adapters, config.apps),
    '',
    '## Memory',
    '',
    '| app | adapter | RSS at start (after GC) | heap at start | RSS after the rounds (after GC) | heap after |',
    '|---|---|---|---|---|---|',
    ...servers.map((s) => `| ${s.kind} | ${s.adapter} | ${mb(s.atStart.rss)} | ${mb(s.atStart.heapUsed)} | ${mb(rssEnd.get(s)!.rss)} | ${mb(rssEnd.get(s)!.heapUsed)} |`),
    '',
    'The 60 s RSS run is a separate mode: `peer.ts --rss` (peer-rss.results.md).',
    '',
    '## Every window',
    '',
    ...rawTable(rows),
    '',
    ...(warmUpErrors.length > 0 ? ['Connection errors or timeouts during warm-up (not measured; a starved server on a busy machine):', '', ...warmUpErrors.map((d) => `- ${d}`), ''] : []),
    ...(defects.length > 0 ? ['## DEFECTS (these figures do not count)', '', ...defects.map((d) => `- ${d}`), ''] : []),
  ];
}

let failed = false;
try {
  await startAll();
  let lines: string[];
  let defects: string[];
  if (args.rss) {
    ({ lines, defects } = await runRss({ servers, issuer, reused, seconds: config.seconds, connections: config.connections, machine, pinning, command, loads }));
  } else {
    const result = await runRounds();
    defects = result.defects;
    const rssEnd = new Map<ServerHandle, { rss: number; heapUsed: number }>();
    for (const server of servers) rssEnd.set(server, await server.stats(true));
    lines = roundsReport(result.rows, defects, rssEnd);
    console.log(['', ...summaryTable(result.rows, config.scenarios, config.adapters), '', ...baselineTable(result.rows, config.scenarios, config.adapters)].join('\n'));
  }
  const path = resolve(fileURLToPath(new URL('.', import.meta.url)), out);
  writeFileSync(path, lines.join('\n'));
  console.log(`\nwritten to ${path}`);
  if (defects.length > 0) {
    failed = true;
    console.error(`\nPEER BENCHMARK FAILED: ${defects.length} window(s) with wrong answers or errors:\n  ${defects.join('\n  ')}`);
  }
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await issuer.close();
}
if (failed) process.exit(1);
