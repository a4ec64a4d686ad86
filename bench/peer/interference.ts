/**
 * How much of the machine other processes used: on a shared machine, a window during which someone
 * else's build ran is not comparable with one during which nothing did (even CPU time per request grows:
 * fewer requests per event-loop turn, cold caches). Linux only (`/proc`); elsewhere nothing is measured.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** CPU time counters, in clock ticks. */
interface Snapshot {
  /** Busy time of the whole machine (all cores). */
  busy: number;
  /** Busy + idle time of the whole machine. */
  total: number;
  /** Time used by the benchmark's own processes. */
  ours: number;
}

function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export class Interference {
  private readonly available: boolean;

  /** `pids`: the benchmark's own processes (this one is always counted). */
  constructor(private readonly pids: () => number[]) {
    try {
      machineTicks();
      this.available = true;
    } catch {
      this.available = false;
    }
  }

  snapshot(): Snapshot | undefined {
    if (!this.available) return undefined;
    const ours = [process.pid, ...this.pids()].reduce((sum, pid) => sum + processTicks(pid), 0);
    return { ...machineTicks(), ours };
  }

  /** Share of the whole machine (0–1, all cores) other processes used between two snapshots. */
  between(a: Snapshot | undefined, b: Snapshot | undefined): number {
    if (!a || !b || b.total <= a.total) return 0;
    return Math.max(0, b.busy - a.busy - (b.ours - a.ours)) / (b.total - a.total);
  }

  /**
   * Waits (up to `maxMs`; 0: not at all) until other processes used at most `threshold` of the machine
   * over one second. Returns their share in the last second measured.
   */
  async quiet(threshold: number, maxMs: number): Promise<number> {
    if (maxMs <= 0) return 0;
    const deadline = Date.now() + maxMs;
    for (;;) {
      const before = this.snapshot();
      await sleep(1000);
      const share = this.between(before, this.snapshot());
      if (share <= threshold || Date.now() >= deadline) return share;
    }
  }
}
