/**
 * Where Bastion's per-request CPU goes: the peer benchmark's apps under `node --cpu-prof`, one process
 * per profile, each warmed up, then loaded for a measured window whose edges (on the profile's clock)
 * and request count are written beside the profile. Then every profile is summed by
 * cpuprofile-summary's analysis: Bastion on its public route and with a reused token, against bare
 * Nest and the hand-wired stack on the same route, on both adapters.
 *
 *   cd bench && node --import @swc-node/register/esm-register peer-profile.ts [--seconds 10] [--interval 100] [--adapters fastify] [--quiet-wait 5]
 *     [--targets bastion:public,bastion:reused-rs256,bastion:fresh-rs256,bare:public] (app:scenario pairs; default below) [--out FILE]
 *
 * Profiles go to bench/profiles/ (not committed); the summary to peer-profile.results.md.
 * Needs a current build of packages/nest.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TestIssuer } from '@bastion/nest/testing';
import { ADAPTERS, type Adapter, type AppKind } from './peer/apps.js';
import { assertBastionBuilt } from './peer/built.js';
import { checkApp } from './peer/checks.js';
import { defect, measure, type Shot } from './peer/load.js';
import { Interference } from './peer/interference.js';
import { LoadSamples, describeMachine, pinLoadGenerator } from './peer/machine.js';
import { scenario, type Scenario, type ScenarioName } from './peer/scenarios.js';
import { startServer } from './peer/servers.js';
import { TokenPool, TokenSlice, reusedTokens } from './peer/tokens.js';
import { analyseFile, type WindowFile } from './cpuprofile-summary.js';
import type { Analysis } from './cpuprofile/analyse.js';
import { categoryTable, diffTable, entryTable, functionTable, hotSpotTable, section } from './cpuprofile/render.js';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string' }, interval: { type: 'string' }, adapters: { type: 'string' }, top: { type: 'string' }, 'quiet-wait': { type: 'string' }, targets: { type: 'string' }, out: { type: 'string' } },
});
/** Longest wait for a quiet machine (other processes ≤ 25 %) before each window, s. */
const QUIET_WAIT = Number(args['quiet-wait'] ?? 5);
const SECONDS = Number(args.seconds ?? 10);
const INTERVAL = Number(args.interval ?? 100);
/** Warm-up by request count (30 s at most), so V8 has optimised the hot paths before the window. */
const WARM_REQUESTS = 5_000;
const CONNECTIONS = 32;
const TOP = Number(args.top ?? 25);
const adapters = (args.adapters?.split(',') ?? ADAPTERS) as Adapter[];
/** Fresh-token windows: at most this many requests (each with a token the app has not seen). */
const FRESH_WINDOW = 8_000;
const TARGETS: Array<[AppKind, ScenarioName]> = args.targets
  ? args.targets.split(',').map((t) => {
      const [app, name] = t.split(':') as [AppKind, ScenarioName];
      return [app, scenario(name).name];
    })
  : [
      ['bastion', 'public'],
      ['bastion', 'reused-rs256'],
      ['hand-wired', 'public'],
      ['hand-wired', 'reused-rs256'],
      ['bare', 'public'],
    ];
const dir = new URL('./profiles/', import.meta.url);
mkdirSync(dir, { recursive: true });

assertBastionBuilt();
const machine = describeMachine();
const pinning = pinLoadGenerator();
const loads = new LoadSamples();
const issuer = await TestIssuer.start({ algorithm: 'RS256', algorithms: ['ES256'] });
const jwt = { issuer: issuer.issuer, audience: issuer.audience, jwksUri: issuer.jwksUri };
const reused = await reusedTokens(issuer);
const pools = { RS256: new TokenPool(issuer, 'RS256'), ES256: new TokenPool(issuer, 'ES256') };
/** A fresh-token window's plan: the next tokens of the pool (every profile is its own process, so the pool rewinds per app). */
const freshPlan = async (s: Scenario, amount: number) =>
  s.token?.fresh ? { amount, fresh: new TokenSlice(await pools[s.token.alg].take(amount, console.log)) } : {};
const profiles = new Map<string, { analysis: Analysis; shot: Shot }>();
let current: number | undefined;
const interference = new Interference(() => (current === undefined ? [] : [current]));
const defects: string[] = [];

try {
  for (const adapter of adapters) {
    for (const [app, name] of TARGETS) {
      const s = scenario(name);
      const id = `${app}-${adapter}-${name}`;
      // Default file names (CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile): the module loader's own
      // thread (SWC's hooks) writes a profile too, and one fixed name would let it overwrite the main thread's.
      const profileDir = new URL(`${id}/`, dir);
      rmSync(profileDir, { recursive: true, force: true });
      const nodeFlags = ['--cpu-prof', `--cpu-prof-dir=${profileDir.pathname}`, `--cpu-prof-interval=${INTERVAL}`];
      const server = await startServer(app, adapter, jwt, { cpu: pinning?.server, nodeFlags });
      current = server.pid;
      let shot: Shot;
      try {
        await checkApp(server, issuer, reused);
        for (const pool of Object.values(pools)) pool.rewind();
        await measure(server, s, { connections: CONNECTIONS, seconds: 30, amount: WARM_REQUESTS, reused, ...(await freshPlan(s, WARM_REQUESTS)) });
        // Profiles of a machine busy with other work are less comparable: wait a little for quiet.
        await interference.quiet(0.25, QUIET_WAIT * 1000);
        shot = await measure(server, s, { connections: CONNECTIONS, seconds: SECONDS, reused, interference, ...(await freshPlan(s, FRESH_WINDOW)) });
        loads.sample();
        const problem = defect(shot);
        if (problem) defects.push(`${id}: ${problem}`);
        const window: WindowFile = { startUs: shot.clockUs[0], endUs: shot.clockUs[1], requests: shot.requests, cpuUs: shot.cpuTotalUs, adapter };
        writeFileSync(new URL(`${id}.window.json`, dir), JSON.stringify(window));
        console.log(`${id}: ${shot.rps} req/s, ${shot.cpuUs} µs CPU/req under the profiler, others ${Math.round(shot.others * 100)} %${problem ? `  !! ${problem}` : ''}`);
      } finally {
        await server.stop();
      }
      // The profiles are written when the process exits; the main thread's is thread 0.
      const main = readdirSync(profileDir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
      if (!main) throw new Error(`${id}: no main-thread profile in ${profileDir.pathname}`);
      renameSync(new URL(main, profileDir), new URL(`${id}.cpuprofile`, dir));
      rmSync(profileDir, { recursive: true, force: true });
      profiles.set(id, { analysis: analyseFile(new URL(`${id}.cpuprofile`, dir).pathname), shot });
    }
  }
} finally {
  await issuer.close();
}

const get = (app: AppKind, adapter: Adapter, name: ScenarioName) => profiles.get(`${app}-${adapter}-${name}`)?.analysis;
const lines = [
  '# peer benchmark: CPU profiles',
  '',
  `\`${`cd bench && node --import @swc-node/register/esm-register peer-profile.ts ${process.argv.slice(2).join(' ')}`.trim()}\``,
  '',
  `Machine: ${machine}. ${pinning ? `Server on core ${pinning.server}, load generator on core ${pinning.load}.` : 'Not pinned.'} Load average: ${loads.describe()}. Other processes' share of the machine during each window (from /proc/stat): ${[...profiles].map(([id, p]) => `${id} ${Math.round(p.shot.others * 100)} %`).join(', ')} (each window waited up to ${QUIET_WAIT} s for a second with at most 25 %).`,
  `Each profile: one app process under \`node --cpu-prof --cpu-prof-interval=${INTERVAL}\` (µs), a warm-up of ${WARM_REQUESTS.toLocaleString('en-US')} requests, then a ${SECONDS} s window at ${CONNECTIONS} connections; only samples inside the window count, divided by the requests served in it. The profiler itself slows the process (compare the process CPU row with peer.results.md).`,
  'Bastion frames are its built `dist/` mapped back to `src/` file:line through the source maps (the line is where the function starts). "Nearest Bastion frame": every sample is charged to the Bastion function closest to the leaf of its stack, so the Nest, Node and library code a Bastion function calls counts as that function\'s cost. "Outermost": charged to the Bastion function closest to the root (the layer Nest or the adapter called).',
  '',
];
for (const adapter of adapters) {
  const mine = TARGETS.filter(([app, name]) => profiles.has(`${app}-${adapter}-${name}`));
  const columns = mine.map(([app, name]) => ({ name: `${app} ${name}`, a: get(app, adapter, name)! }));
  const bare = get('bare', adapter, 'public');
  const handWired = get('hand-wired', adapter, 'public');
  lines.push(...section(2, adapter, []), ...section(3, 'Self time by owner', categoryTable(columns)));
  for (const [app, name] of mine.filter(([app]) => app === 'bastion')) {
    const a = get(app, adapter, name)!;
    lines.push(
      ...section(3, `Bastion hot spots, ${scenario(name).label} (nearest Bastion frame)`, hotSpotTable(a, TOP)),
      ...section(3, `Bastion layers, ${scenario(name).label} (outermost Bastion frame)`, entryTable(a)),
    );
    if (name === 'public') {
      if (bare) lines.push(...section(3, 'What else grew, Bastion public route against bare Nest (self time, Bastion frames excluded)', diffTable(a, bare, TOP, 'Bastion')));
      if (handWired) lines.push(...section(3, 'What else grew, Bastion public route against the hand-wired app (self time, Bastion frames excluded)', diffTable(a, handWired, TOP, 'Bastion')));
      lines.push(...section(3, 'Top functions, Bastion public route (self time, any owner)', functionTable(a, TOP)));
    }
  }
}
if (defects.length > 0) lines.push('## DEFECTS', '', ...defects.map((d) => `- ${d}`), '');
const out = resolve(fileURLToPath(new URL('.', import.meta.url)), args.out ?? 'peer-profile.results.md');
writeFileSync(out, lines.join('\n'));
console.log(`written to ${out}`);
if (defects.length > 0) {
  console.error(`PROFILE RUN FAILED: ${defects.join('; ')}`);
  process.exit(1);
}
