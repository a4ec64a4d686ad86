/** Starts a peer-benchmark app in its own process (pinned to the server core when pinning is on). */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Adapter, AppKind, PeerJwt } from './apps.js';
import type { ServerStats } from './server.js';

export interface ServerHandle {
  readonly kind: AppKind;
  readonly adapter: Adapter;
  readonly url: string;
  readonly pid: number;
  /** Stats reported right after `listen()` (after a GC). */
  readonly atStart: ServerStats;
  /** CPU time, clock and memory now; `gc` collects garbage first (for RSS and heap figures). */
  stats(gc?: boolean): Promise<ServerStats>;
  /** SIGTERM, then waits for the exit (a `--cpu-prof` profile is written on exit). */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** CPU list for `taskset -c`, or undefined to run unpinned. */
  cpu: string | undefined;
  /** Extra Node flags (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
  /** The hand-wired app's throttler `ttl`, ms. */
  throttlerTtl?: number;
}

export async function startServer(kind: AppKind, adapter: Adapter, jwt: PeerJwt, options: StartOptions): Promise<ServerHandle> {
  const node = [process.execPath, '--expose-gc', ...(options.nodeFlags ?? []), '--import', '@swc-node/register/esm-register', 'peer/server.ts', kind, adapter];
  const [command, ...args] = options.cpu === undefined ? node : ['taskset', '-c', options.cpu, ...node];
  // stdout is the audit log: discarded, as by a log shipper.
  const child = spawn(command!, args, {
    cwd: new URL('..', import.meta.url),
    env: { ...process.env, PEER_JWT: JSON.stringify(jwt), ...(options.throttlerTtl !== undefined && { PEER_THROTTLER_TTL: String(options.throttlerTtl) }) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const ready = await new Promise<ServerStats & { port: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as ServerStats & { port: number }));
    void exited.then(([code]) => reject(new Error(`${kind} ${adapter} app exited before listening (code ${code})`)));
  });
  return handle(kind, adapter, child, exited, ready);
}

function handle(kind: AppKind, adapter: Adapter, child: ChildProcess, exited: Promise<unknown>, ready: ServerStats & { port: number }): ServerHandle {
  // Replies come in the order asked.
  const waiting: Array<(s: ServerStats) => void> = [];
  child.on('message', (m: ServerStats) => {
    if (m.type === 'stats') waiting.shift()?.(m);
  });
  return {
    kind,
    adapter,
    url: `http://127.0.0.1:${ready.port}`,
    pid: child.pid!,
    atStart: { ...ready, type: 'stats' },
    stats(gc = false) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.send({ type: 'stats', gc });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}
