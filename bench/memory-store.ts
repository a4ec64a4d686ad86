/**
 * Drives 1,000,000 distinct throttle trackers through the bounded in-memory store (via Bastion's
 * `@nestjs/throttler` storage adapter, as in production) and reports peak memory and the key count,
 * next to `@nestjs/throttler`'s own in-memory storage fed the same trackers (baseline).
 *
 *   cd bench && node --expose-gc --import @swc-node/register/esm-register memory-store.ts [trackers] [maxKeys]
 */
import { ThrottlerStorageService } from '@nestjs/throttler';
import { MemoryStore } from '../packages/nest/src/stores/memory.store.js';
import { BastionThrottlerStorage } from '../packages/nest/src/throttling/bastion-throttler.storage.js';

const TRACKERS = Number(process.argv[2] ?? 1_000_000);
const MAX_KEYS = Number(process.argv[3] ?? 100_000);
const TTL = 60_000;
const LIMIT = 300;
const MB = 1024 * 1024;
globalThis.gc?.();
const START_RSS_MB = Math.round(process.memoryUsage().rss / MB);

interface Result {
  name: string;
  keys: number;
  peakRssMb: number;
  peakHeapMb: number;
  heapAfterMb: number;
  seconds: number;
  capHeld: boolean | 'no cap';
}

type Increment = (key: string) => Promise<unknown>;

async function drive(name: string, increment: Increment, size: () => number, cap: number): Promise<Result> {
  globalThis.gc?.();
  let peakRss = 0;
  let peakHeap = 0;
  let capHeld = true;
  const started = process.hrtime.bigint();
  for (let i = 0; i < TRACKERS; i++) {
    // One new anonymous IPv4 tracker per request (a botnet or a spoofing flood), plus some repeat traffic.
    await increment(`ip:${(i >>> 24) & 255}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`);
    if (i % 10 === 0) await increment('ip:192.0.2.1');
    if (i % 20_000 === 0) {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
      if (size() > cap) capHeld = false;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  globalThis.gc?.();
  return {
    name,
    keys: size(),
    peakRssMb: Math.round(peakRss / MB),
    peakHeapMb: Math.round(peakHeap / MB),
    heapAfterMb: Math.round(process.memoryUsage().heapUsed / MB),
    seconds: Math.round(seconds * 10) / 10,
    capHeld: cap === Infinity ? 'no cap' : capHeld && size() <= cap,
  };
}

const which = process.argv[4] ?? 'both';
const results: Result[] = [];
if (which !== 'baseline') {
  const store = new MemoryStore({ maxKeys: MAX_KEYS });
  const storage = new BastionThrottlerStorage(store);
  results.push(await drive(`Bastion MemoryStore (maxKeys ${MAX_KEYS.toLocaleString('en')})`, (k) => storage.increment(k, TTL, LIMIT, TTL, 'default'), () => store.size, MAX_KEYS));
}
if (which !== 'bastion') {
  const baseline = new ThrottlerStorageService();
  results.push(await drive('@nestjs/throttler ThrottlerStorageService', (k) => baseline.increment(k, TTL, LIMIT, TTL, 'default'), () => baseline.storage.size, Infinity));
  baseline.onApplicationShutdown();
}
console.log(`trackers: ${TRACKERS.toLocaleString('en')} distinct (+10% repeat traffic), ttl ${TTL} ms, node ${process.version}, RSS before: ${START_RSS_MB} MB`);
console.table(results);
