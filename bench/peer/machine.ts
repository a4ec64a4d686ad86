/** The machine a run happened on, and core pinning (server on one core, load generator on another). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Pinning {
  server: string;
  load: string;
}

function cpuList(text: string): number[] {
  return text
    .trim()
    .split(',')
    .flatMap((part) => {
      const [from, to] = part.split('-').map(Number);
      return to === undefined ? [from!] : Array.from({ length: to - from! + 1 }, (_, i) => from! + i);
    });
}

/**
 * When `taskset` works and this process may run on two cores or more: pins this process (the load
 * generator, every thread) to the second core and returns the first for the servers. Otherwise undefined
 * (everything unpinned, said in the results).
 */
export function pinLoadGenerator(): Pinning | undefined {
  const probe = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const cores = cpuList(probe.stdout.split(':').pop() ?? '');
  if (cores.length < 2) return undefined;
  const pinning = { server: String(cores[0]), load: String(cores[1]) };
  if (spawnSync('taskset', ['-a', '-pc', pinning.load, String(process.pid)]).status !== 0) return undefined;
  return pinning;
}

/** CPU model (from /proc/cpuinfo), cores, memory, Node version. */
export function describeMachine(): string {
  let model = 'unknown CPU';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // not Linux: the model stays unknown
  }
  return `${model}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version} (${process.platform})`;
}

/** Min / mean / max of the 1-minute load average over the samples taken during a run. */
export class LoadSamples {
  private readonly samples: number[] = [];

  sample(): void {
    this.samples.push(loadavg()[0]!);
  }

  describe(): string {
    if (this.samples.length === 0) return 'not sampled';
    const mean = this.samples.reduce((a, b) => a + b, 0) / this.samples.length;
    return `min ${Math.min(...this.samples).toFixed(2)}, mean ${mean.toFixed(2)}, max ${Math.max(...this.samples).toFixed(2)} (1-min load average, ${this.samples.length} samples)`;
  }
}
