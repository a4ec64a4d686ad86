import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** redis-server from PATH (or Debian's path), if installed. */
export const BINARY =
  (process.env.PATH ?? '')
    .split(':')
    .map((dir) => `${dir}/redis-server`)
    .find((path) => existsSync(path)) ?? '/usr/bin/redis-server';

/** A real redis-server for tests: its own port, no persistence, stoppable and restartable on the same port. */
export interface TestRedis {
  url: string;
  port: number;
  /** False when REDIS_URL points at an external server (then stop/start are not available). */
  managed: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on `port` (loopback, no persistence) with `extraArgs`; resolves once it accepts connections. */
export function launch(port: number, extraArgs: readonly string[] = []): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs];
    const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.resume();
    child.once('exit', (code) => reject(new Error(`redis-server on ${port} exited (${code}): ${output.slice(-500)}`)));
  });
}

/**
 * Starts redis-server on a free port when it is installed (so the suites that stop and restart Redis can), else
 * uses `REDIS_URL`. Returns `undefined` (after a loud notice) when neither is available — and throws instead
 * when `BASTION_REQUIRE_SERVICES=1`. `extraArgs` are passed to redis-server (e.g. a `--maxmemory-policy`); a suite
 * that needs them skips on an external `REDIS_URL`.
 */
export async function startTestRedis(extraArgs: readonly string[] = []): Promise<TestRedis | undefined> {
  if (process.env.REDIS_URL && !existsSync(BINARY)) {
    if (extraArgs.length > 0) {
      if (process.env.BASTION_REQUIRE_SERVICES === '1') throw new Error(`this suite needs its own redis-server (${extraArgs.join(' ')}), not found at ${BINARY} (BASTION_REQUIRE_SERVICES=1)`);
      console.warn(`SKIPPED: this suite needs its own redis-server (${extraArgs.join(' ')}); REDIS_URL is external.`);
      return undefined;
    }
    const url = process.env.REDIS_URL;
    const unmanaged = async () => {
      throw new Error('cannot stop or start an external REDIS_URL server');
    };
    return { url, port: Number(new URL(url).port || 6379), managed: false, stop: unmanaged, start: unmanaged };
  }
  if (!existsSync(BINARY)) {
    if (process.env.BASTION_REQUIRE_SERVICES === '1') throw new Error(`redis-server not found at ${BINARY} and REDIS_URL not set (BASTION_REQUIRE_SERVICES=1)`);
    console.warn(`SKIPPED: Redis tests need ${BINARY} or REDIS_URL; neither is available.`);
    return undefined;
  }
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, extraArgs);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    managed: true,
    async stop() {
      const current = child;
      child = undefined;
      if (!current || current.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        current.removeAllListeners('exit');
        current.once('exit', () => resolve());
        current.kill('SIGKILL');
      });
    },
    async start() {
      if (!child) child = await launch(port, extraArgs);
    },
  };
}
