/**
 * The long mode of the peer benchmark: memory of each app over one 60 s window of fresh ES256 tokens,
 * each naming its own subject (so Bastion's verified-token cache and its per-principal throttle
 * counters keep filling up to their bounds). RSS is sampled every 10 s during the window.
 */
import type { TestIssuer } from '@bastion/nest/testing';
import { defect, measure, type Shot } from './load.js';
import type { LoadSamples, Pinning } from './machine.js';
import { mb } from './report.js';
import type { Scenario } from './scenarios.js';
import type { ServerHandle } from './servers.js';
import { TokenPool, TokenSlice, type Alg } from './tokens.js';

export interface RssContext {
  servers: ServerHandle[];
  issuer: TestIssuer;
  reused: Record<Alg, string>;
  seconds: number;
  connections: number;
  machine: string;
  pinning: Pinning | undefined;
  command: string;
  loads: LoadSamples;
}

const PROBE = 3_000;
const SAMPLE_EVERY_MS = 10_000;

const FRESH: Scenario = { name: 'fresh-es256', label: 'protected GET, fresh ES256 token each, distinct subjects', method: 'GET', path: '/items/protected', token: { alg: 'ES256', fresh: true }, status: 200 };
// The bare app reads no token: one reused token keeps the load generator from minting for nothing.
const BARE: Scenario = { ...FRESH, label: 'protected GET (bare: one token, never read)', token: { alg: 'ES256', fresh: false } };

interface RssRow {
  server: ServerHandle;
  shot: Shot;
  samples: number[];
  committed: number[];
  end: { rss: number; heapUsed: number; heapTotal: number; external: number };
  endAfterGc: { rss: number; heapUsed: number; heapTotal: number; external: number };
}

export async function runRss(ctx: RssContext): Promise<{ lines: string[]; defects: string[] }> {
  const pool = new TokenPool(ctx.issuer, 'ES256', { subjects: true });
  const defects: string[] = [];
  const rows: RssRow[] = [];
  const log = (m: string) => console.log(m);
  for (const server of ctx.servers) {
    const s = server.kind === 'bare' ? BARE : FRESH;
    // Every app process gets the same tokens from the first: none has seen them.
    pool.rewind();
    let amount: number | undefined;
    let fresh: TokenSlice | undefined;
    if (s.token?.fresh) {
      const probe = await measure(server, s, { connections: ctx.connections, seconds: 10, reused: ctx.reused, amount: PROBE, fresh: new TokenSlice(await pool.take(PROBE + 100, log)) });
      // The probe also warms the app up, so the window runs faster than the probe: tokens for 3 × the
      // probe's rate; the window ends at `seconds` (or earlier, said in the table, if they run out).
      amount = Math.round(probe.rps * ctx.seconds * 3);
      fresh = new TokenSlice(await pool.take(amount + 2 * ctx.connections + 16, log));
    }
    const samples: number[] = [];
    const committed: number[] = [];
    const sampler = setInterval(() => void server.stats().then((st) => (samples.push(st.rss), committed.push(st.heapTotal))), SAMPLE_EVERY_MS);
    const shot = await measure(server, s, { connections: ctx.connections, seconds: ctx.seconds, reused: ctx.reused, amount, fresh });
    clearInterval(sampler);
    ctx.loads.sample();
    const end = await server.stats();
    const endAfterGc = await server.stats(true);
    rows.push({ server, shot, samples, committed, end, endAfterGc });
    const problem = defect(shot);
    if (problem) defects.push(`${server.kind} ${server.adapter}: ${problem}`);
    console.log(`${server.kind.padEnd(11)} ${server.adapter.padEnd(8)} ${shot.requests} requests in ${shot.seconds.toFixed(1)} s; RSS ${mb(server.atStart.rss)} → ${mb(end.rss)} (after GC ${mb(endAfterGc.rss)})${problem ? `  !! ${problem}` : ''}`);
  }
  const lines = [
    `# peer benchmark: memory over a ${ctx.seconds} s run`,
    '',
    `\`${ctx.command}\``,
    '',
    `Machine: ${ctx.machine}. ${ctx.pinning ? `Servers on core ${ctx.pinning.server}, load generator on core ${ctx.pinning.load}.` : 'Not pinned.'} Load average: ${ctx.loads.describe()}.`,
    '',
    `One window per app, ${ctx.connections} connections, about ${ctx.seconds} s: \`GET /items/protected\` with a fresh ES256 token per request, each naming its own subject (\`bench-user-<n>\`), never sent twice to one app; tokens are minted for 3 × the app's rate in a ${PROBE}-request probe × ${ctx.seconds} s (the window ends at ${ctx.seconds} s, or earlier if they run out). The bare app gets the same requests with one token (it reads none). Bastion runs its defaults: memory store capped at 100,000 keys, verified-token cache of 10,000 per issuer.`,
    'RSS "at start" is right after `listen()`, after a GC; the samples are taken every 10 s during the window, without GC. *Heap committed* is the V8 heap the process holds (live or not), *external* the memory of C++ objects bound to JS ones (Buffers, KeyObjects): with the live heap they tell how much of the RSS is the app\'s own data.',
    '',
    '| app | adapter | requests | s | req/s | CPU µs/req | RSS at start | RSS every 10 s | heap committed every 10 s | RSS at end | RSS at end after GC | heap at start | heap at end after GC | heap committed at start → end after GC | external at start → end after GC |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.server.kind} | ${r.server.adapter} | ${r.shot.requests} | ${r.shot.seconds.toFixed(1)} | ${r.shot.rps} | ${r.shot.cpuUs} | ${mb(r.server.atStart.rss)} | ${r.samples.map((x) => (x / 2 ** 20).toFixed(0)).join(', ')} MB | ${r.committed.map((x) => (x / 2 ** 20).toFixed(0)).join(', ')} MB | ${mb(r.end.rss)} | ${mb(r.endAfterGc.rss)} | ${mb(r.server.atStart.heapUsed)} | ${mb(r.endAfterGc.heapUsed)} | ${mb(r.server.atStart.heapTotal)} → ${mb(r.endAfterGc.heapTotal)} | ${mb(r.server.atStart.external)} → ${mb(r.endAfterGc.external)} |`,
    ),
    '',
    ...(defects.length > 0 ? ['## DEFECTS (these figures do not count)', '', ...defects.map((d) => `- ${d}`), ''] : []),
  ];
  return { lines, defects };
}
