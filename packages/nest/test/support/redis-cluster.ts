import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { BINARY, freePort, launch } from './redis.js';

const run = promisify(execFile);
/** redis-cli, next to redis-server. */
const CLI = join(dirname(BINARY), 'redis-cli');

/** One node of a {@link TestRedisCluster}. */
export interface ClusterNodeInfo {
  port: number;
  /** The cluster's node id. */
  id: string;
  role: 'master' | 'replica';
  /** For a replica, the id of its master. */
  masterId: string | undefined;
  /** Hash slots served (masters). */
  slots: [number, number][];
}

/** A real Redis Cluster on loopback: 3 masters, 3 replicas, no persistence, its own ports and folder. */
export interface TestRedisCluster {
  /** Seed nodes as `redis://127.0.0.1:<port>` (all six). */
  nodes: string[];
  /** Runs one command on the node at `port` (through redis-cli), returning its raw output. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** The cluster as the node at `port` sees it. */
  topology(port?: number): Promise<ClusterNodeInfo[]>;
  /** The master serving `key` (by its hash slot), in the current topology. */
  masterOf(key: string): Promise<ClusterNodeInfo>;
  /** Kills one node hard (SIGKILL), as a crash would. */
  kill(port: number): Promise<void>;
  stop(): Promise<void>;
}

async function freePortPair(): Promise<number> {
  // A cluster node also listens on port + 10000 (its bus): both must be free.
  for (;;) {
    const port = await freePort();
    if (port + 10_000 > 65_535) continue;
    const busFree = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port + 10_000, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (busFree) return port;
  }
}

function launchNode(port: number, dir: string): Promise<ChildProcess> {
  return launch(port, [
    '--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`,
    // Fast failure detection; a shard that is down must not take the healthy ones with it.
    '--cluster-node-timeout', '1000', '--cluster-require-full-coverage', 'no',
  ]);
}

/** CRC16/XMODEM, the hash Redis Cluster uses for key slots (cluster spec, "Keys distribution model"). */
function crc16(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The hash slot of `key`: of its `{hash tag}` when it has a non-empty one, else of the whole key. */
export function slotOf(key: string): number {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  return crc16(Buffer.from(hashed)) % 16_384;
}

/** The master serving `key` in `topology`. */
export function masterIn(topology: readonly ClusterNodeInfo[], key: string): ClusterNodeInfo {
  const slot = slotOf(key);
  const master = topology.find((n) => n.role === 'master' && n.slots.some(([a, b]) => slot >= a && slot <= b));
  if (!master) throw new Error(`no master serves slot ${slot}`);
  return master;
}

function parseNodes(text: string): ClusterNodeInfo[] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((f) => f.length >= 8 && !f[2]!.includes('fail') && !f[2]!.includes('noaddr'))
    .map((f) => ({
      port: Number(f[1]!.split('@')[0]!.split(':').pop()),
      id: f[0]!,
      role: f[2]!.includes('master') ? ('master' as const) : ('replica' as const),
      masterId: f[3] === '-' ? undefined : f[3],
      slots: f
        .slice(8)
        .filter((s) => /^\d+(-\d+)?$/.test(s))
        .map((s) => {
          const [a, b] = s.split('-').map(Number);
          return [a!, b ?? a!] as [number, number];
        }),
    }));
}

/**
 * Starts six cluster-enabled redis-server processes on free loopback ports and joins them with
 * `redis-cli --cluster create … --cluster-replicas 1` (3 masters, each with a replica, so failover works).
 * Returns `undefined` after a loud notice when redis-server or redis-cli is missing — and throws instead
 * when `BASTION_REQUIRE_SERVICES=1`.
 */
export async function startTestRedisCluster(): Promise<TestRedisCluster | undefined> {
  if (!existsSync(BINARY) || !existsSync(CLI)) {
    if (process.env.BASTION_REQUIRE_SERVICES === '1') throw new Error('redis-server and redis-cli are needed for the Redis Cluster tests (BASTION_REQUIRE_SERVICES=1)');
    console.warn('SKIPPED: Redis Cluster tests need redis-server and redis-cli; not installed.');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bastion-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < 6; i++) ports.push(await freePortPair());
  const children = new Map<number, ChildProcess>();
  const stopAll = async () => {
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.removeAllListeners('exit');
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    children.clear();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) children.set(port, await launchNode(port, dir));
    await run(CLI, ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], { timeout: 60_000 });
  } catch (error) {
    await stopAll();
    throw error;
  }
  const cli = async (port: number, ...args: string[]) => (await run(CLI, ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 })).stdout;
  const cluster: TestRedisCluster = {
    nodes: ports.map((p) => `redis://127.0.0.1:${p}`),
    cli,
    async topology(port = [...children.keys()][0]!) {
      return parseNodes(await cli(port, 'CLUSTER', 'NODES'));
    },
    async masterOf(key) {
      return masterIn(await cluster.topology(), key);
    },
    async kill(port) {
      const child = children.get(port);
      children.delete(port);
      if (!child || child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    stop: stopAll,
  };
  // Before the first test: every node sees all slots served, and every replica is in sync with its
  // master (clients only list a replica once CLUSTER SLOTS does, which needs the link up).
  const ready = async () => {
    for (const port of ports) if (!(await cli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
    const replicas = (await cluster.topology()).filter((n) => n.role === 'replica');
    if (replicas.length !== 3) return false;
    for (const replica of replicas) if (!(await cli(replica.port, 'INFO', 'replication')).includes('master_link_status:up')) return false;
    return true;
  };
  for (let i = 0; !(await ready()); i++) {
    if (i > 300) throw new Error('the test cluster never became ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return cluster;
}
