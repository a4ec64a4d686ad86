/**
 * Memory of the in-memory security-state store at its default bounds (revocation 100,000, block
 * 100,000, nonce 250,000), with realistic keys and with the longest keys it keeps verbatim (128
 * characters; longer ones are stored as their SHA-256), and the cost of one write and one read.
 *
 *   cd bench && node --expose-gc --import @swc-node/register/esm-register security-state.ts
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DEFAULT_SECURITY_LIMITS, MemorySecurityStore } from '../packages/nest/src/stores/memory-security.store.js';
import type { SecurityStateKind } from '../packages/nest/src/stores/security-state.interface.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const MB = 1024 * 1024;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

// Flat strings, as keys arrive in production (ids parsed from JSON, addresses from the socket); strings
// built by concatenation would be measured with their rope nodes.
const flat = (text: string) => Buffer.from(text, 'latin1').toString('latin1');
const realistic: Record<SecurityStateKind, (i: number) => [string, string]> = {
  revocation: () => [flat(`jti:${randomUUID()}`), '1'],
  block: (i) => [flat(`2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::/64`), flat(`${Date.now() + 300_000}:1`)],
  nonce: () => [flat(randomBytes(32).toString('base64url')), '1'],
};
const longest = (i: number): [string, string] => [flat(`${'k'.repeat(120)}${String(i).padStart(8, '0')}`), flat(`${Date.now() + 300_000}:12`)];

async function fill(keys: (kind: SecurityStateKind, i: number) => [string, string]) {
  const store = new MemorySecurityStore();
  const before = heap();
  const perKind: Record<string, number> = {};
  let writes = 0;
  const started = process.hrtime.bigint();
  for (const kind of ['revocation', 'block', 'nonce'] as const) {
    const kindBefore = heap();
    for (let i = 0; i < DEFAULT_SECURITY_LIMITS[kind]; i++) {
      const [key, value] = keys(kind, i);
      await store.put(kind, key, value, 3_600_000);
      writes++;
    }
    perKind[kind] = (heap() - kindBefore) / MB;
  }
  const writeUs = Number(process.hrtime.bigint() - started) / 1e3 / writes;
  const readStart = process.hrtime.bigint();
  for (let i = 0; i < 100_000; i++) await store.get('block', keys('block', i)[0]);
  const readUs = Number(process.hrtime.bigint() - readStart) / 1e3 / 100_000;
  return { total: (heap() - before) / MB, perKind, writeUs, readUs, store };
}

const rows: string[] = [];
for (const [name, keys] of [
  ['realistic keys (jti:uuid, IPv6 /64, 43-char nonce)', (kind: SecurityStateKind, i: number) => realistic[kind](i)],
  ['longest verbatim keys (128 characters)', (_kind: SecurityStateKind, i: number) => longest(i)],
] as const) {
  const r = await fill(keys);
  rows.push(
    `| ${name} | ${r.perKind.revocation!.toFixed(1)} MB | ${r.perKind.block!.toFixed(1)} MB | ${r.perKind.nonce!.toFixed(1)} MB | ${r.total.toFixed(1)} MB | ${r.writeUs.toFixed(2)} µs | ${r.readUs.toFixed(2)} µs |`,
  );
}
const lines = [
  '# In-memory security state at its default bounds',
  '',
  `Entries: revocation ${DEFAULT_SECURITY_LIMITS.revocation.toLocaleString('en')}, block ${DEFAULT_SECURITY_LIMITS.block.toLocaleString('en')}, nonce ${DEFAULT_SECURITY_LIMITS.nonce.toLocaleString('en')}; heap after GC; node ${process.version}.`,
  '',
  '| keys | revocation | block | nonce | total | write (wall, incl. key generation) | read |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  '',
];
console.log(lines.join('\n'));
writeFileSync(new URL('./security-state.results.md', import.meta.url), lines.join('\n'));
