/**
 * One app of the peer benchmark in its own process (the load generator runs elsewhere):
 *
 *   node --expose-gc --import @swc-node/register/esm-register peer/server.ts <bare|hand-wired|bastion|baseline> <express|fastify>
 *
 * env PEER_JWT: the issuer as JSON; PEER_THROTTLER_TTL: the hand-wired throttler's `ttl`, ms (optional);
 * PEER_BASELINE: the baseline app's Bastion build (`esm/index.js`). Started with an IPC channel: reports
 * `{ type: 'ready', port }`, then answers each `{ type: 'stats', gc? }` with the process's CPU time, clock and memory, which the
 * benchmark reads before and after each measured window. stdout is the audit log (discarded).
 */
import 'reflect-metadata';
import { ADAPTERS, APP_KINDS, TELEMETRY_APP_KINDS, createApp, type Adapter, type AppKind, type PeerJwt } from './apps.js';

/** What the server reports about itself; times in µs. */
export interface ServerStats {
  type: 'stats';
  /** User + system CPU time of the whole process so far, µs. */
  cpuUs: number;
  /** Monotonic clock (the one `--cpu-prof` timestamps use), µs. */
  clockUs: number;
  rss: number;
  heapUsed: number;
  /** V8 heap committed, bytes (what the heap holds of the RSS, live or not). */
  heapTotal: number;
  /** Memory of C++ objects bound to JS ones (Buffers, KeyObjects, …), bytes. */
  external: number;
}

const kind = process.argv[2] as AppKind;
const adapter = process.argv[3] as Adapter;
const KINDS = [...APP_KINDS, ...TELEMETRY_APP_KINDS];
if (!KINDS.includes(kind) || !ADAPTERS.includes(adapter)) throw new Error(`usage: server.ts <${KINDS.join('|')}> <${ADAPTERS.join('|')}>`);
const jwt = JSON.parse(process.env.PEER_JWT ?? 'null') as PeerJwt;

const app = await createApp(kind, adapter, jwt, {
  throttlerTtl: process.env.PEER_THROTTLER_TTL ? Number(process.env.PEER_THROTTLER_TTL) : undefined,
  baseline: process.env.PEER_BASELINE,
});
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as { port: number };

function stats(gc: boolean): ServerStats {
  if (gc) (globalThis as { gc?: () => void }).gc?.();
  const { user, system } = process.cpuUsage();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return { type: 'stats', cpuUs: user + system, clockUs: Number(process.hrtime.bigint() / 1000n), rss, heapUsed, heapTotal, external };
}

process.on('message', (message: { type?: string; gc?: boolean }) => {
  if (message.type === 'stats') process.send?.(stats(message.gc === true));
});
// A normal exit, so `--cpu-prof` writes its profile.
process.on('SIGTERM', () => void app.close().finally(() => process.exit(0)));
// The benchmark went away: so does this app.
process.on('disconnect', () => void app.close().finally(() => process.exit(0)));
process.send?.({ ...stats(true), type: 'ready', port });
