/**
 * RFC 9421 signature verifications per second for hmac-sha256 and ed25519: Bastion's whole verification
 * (parse Signature-Input/Signature, key ring look-up, time checks, signature base, crypto, replay memory in
 * the in-memory security state) next to the raw `node:crypto` operation on the same signature base, in the same run.
 * CPU time per operation (process.cpuUsage), so a loaded machine changes the figures less than wall time;
 * the measurements are interleaved over ROUNDS rounds and the median of each is reported, with the load average.
 *
 *   cd bench && node --import @swc-node/register/esm-register signatures.ts [operations] [rounds]
 */
import { createHmac, createSecretKey, generateKeyPairSync, randomBytes, timingSafeEqual, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { messageOf } from '../packages/nest/src/authentication/signature/http-message.js';
import { RequestSigner } from '../packages/nest/src/authentication/signature/request-signer.js';
import { signatureBase } from '../packages/nest/src/authentication/signature/signature-base.js';
import { resolveSignatureOptions } from '../packages/nest/src/authentication/signature/signature-config.js';
import { parseSignatureHeaders } from '../packages/nest/src/authentication/signature/signature-headers.js';
import type { SignatureKeySource } from '../packages/nest/src/authentication/signature/signature-keys.js';
import { SignatureVerifier, type SignedRequest } from '../packages/nest/src/authentication/signature/signature-verifier.js';
import { MemorySecurityStore } from '../packages/nest/src/stores/memory-security.store.js';
import { rememberOnce } from '../packages/nest/src/stores/security-state.interface.js';

const N = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const URL_ = 'https://orders.internal.example/internal/orders/export?since=2026-01-01&limit=100';
const secret = randomBytes(32);
const ed = generateKeyPairSync('ed25519');

interface Row {
  alg: string;
  what: string;
  usPerOp: number;
  opsPerSec: number;
}

function cpuMicros(fn: () => void, iterations: number): number {
  for (let i = 0; i < Math.min(2_000, iterations); i++) fn(); // warm-up
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / iterations;
}

async function cpuMicrosAsync(fn: (i: number) => Promise<unknown>, iterations: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await fn(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / iterations;
}

// Header values as a server receives them: strings read from bytes (the signer builds them by concatenation,
// which V8 keeps as a tree that the first read would flatten, a cost no request off the network has).
const received = (value: string): string => Buffer.from(value, 'latin1').toString('latin1');

/** N distinct signed requests (each its own nonce: the replay memory sees N new entries). */
function signedRequests(signer: RequestSigner, count: number): SignedRequest[] {
  return Array.from({ length: count }, () => {
    const headers = signer.sign({ method: 'GET', url: URL_ });
    const lines = Object.entries(headers).map(([name, value]): [string, string] => [name, received(value)]);
    const field = (name: string) => lines.filter(([n]) => n === name).map(([, v]) => v);
    return { message: messageOf({ method: 'GET', url: URL_, headers: lines }), signatureInput: field('signature-input'), signature: field('signature'), hasBody: false, body: undefined };
  });
}

async function bench(alg: 'hmac-sha256' | 'ed25519'): Promise<Row[]> {
  const signer = new RequestSigner({ keyid: 'k1', alg, key: alg === 'hmac-sha256' ? secret : ed.privateKey });
  const config = resolveSignatureOptions({ keys: [{ keyid: 'k1', alg, key: alg === 'hmac-sha256' ? secret : ed.publicKey, owner: 'worker', scopes: ['orders:export'] }] })!;
  const store = new MemorySecurityStore({ limits: { nonce: ROUNDS * N + 10_000 } });
  const verifier = new SignatureVerifier(config, config.keySource as SignatureKeySource, { rememberOnce: (k, ttl) => rememberOnce(store, k, ttl) });
  const warm = signedRequests(signer, 2_000);
  for (const r of warm) await verifier.verify(r);

  // The raw crypto on the same signature base (what any verifier must do at least).
  const sample = signedRequests(signer, 1)[0]!;
  const [entry] = parseSignatureHeaders(sample.signatureInput, sample.signature, config.limits);
  const base = Buffer.from(signatureBase(sample.message, entry!.covered, entry!.params), 'ascii');
  const hmacKey = createSecretKey(secret);
  const raw =
    alg === 'hmac-sha256'
      ? () => {
          const mac = createHmac('sha256', hmacKey).update(base).digest();
          timingSafeEqual(mac, entry!.signature);
        }
      : () => {
          verify(null, base, ed.publicKey, entry!.signature);
        };
  const parseAndBase = () => {
    const [e] = parseSignatureHeaders(sample.signatureInput, sample.signature, config.limits);
    // As the verifier builds it: with the @signature-params text kept from a canonical Signature-Input.
    signatureBase(sample.message, e!.covered, e!.params, undefined, e!.signatureParams);
  };
  const parseOnly = () => parseSignatureHeaders(sample.signatureInput, sample.signature, config.limits);
  const samples: [number[], number[], number[], number[]] = [[], [], [], []];
  // Every round's requests are signed before any measurement: signing leaves garbage and live objects
  // that the collector would otherwise charge to whichever measurement runs next.
  const rounds = Array.from({ length: ROUNDS }, () => signedRequests(signer, N));
  for (let round = 0; round < ROUNDS; round++) {
    const requests = rounds[round]!;
    samples[0].push(cpuMicros(raw, N));
    samples[1].push(cpuMicros(parseAndBase, N));
    samples[2].push(cpuMicros(parseOnly, N));
    samples[3].push(await cpuMicrosAsync((i) => verifier.verify(requests[i]!), N));
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  const [rawUs, parseAndBaseUs, parseUs, fullUs] = samples.map(median) as [number, number, number, number];
  const row = (what: string, us: number): Row => ({ alg, what, usPerOp: Math.round(us * 100) / 100, opsPerSec: Math.round(1e6 / us) });
  return [
    row('raw node:crypto (HMAC + constant-time compare / Ed25519 verify)', rawUs),
    row('parse Signature-Input/Signature + build the signature base', parseAndBaseUs),
    row('of which: parse Signature-Input/Signature (both dictionaries, entry checks)', parseUs),
    row('SignatureVerifier.verify (everything, replay memory included)', fullUs),
  ];
}

const loadBefore = loadavg()[0]!.toFixed(1);
const rows = [...(await bench('hmac-sha256')), ...(await bench('ed25519'))];
const loadAfter = loadavg()[0]!.toFixed(1);
const lines = ['| algorithm | what | CPU µs / op | ops / s (one core) |', '|---|---|---|---|', ...rows.map((r) => `| ${r.alg} | ${r.what} | ${r.usPerOp} | ${r.opsPerSec.toLocaleString('en-US')} |`)];
for (const alg of ['hmac-sha256', 'ed25519']) {
  const [raw, parse, , full] = rows.filter((r) => r.alg === alg);
  lines.push('', `${alg}: parsing + base = ${(parse!.usPerOp / raw!.usPerOp).toFixed(2)}× the crypto; whole verification = ${(full!.usPerOp / raw!.usPerOp).toFixed(2)}× the crypto (overhead ${(full!.usPerOp - raw!.usPerOp).toFixed(1)} µs).`);
}
const out = [`# signatures (N = ${N} per round, median of ${ROUNDS} interleaved rounds, node ${process.version}, ${new Date().toISOString().slice(0, 10)}, 1-minute load average ${loadBefore} before, ${loadAfter} after)`, '', ...lines, ''].join('\n');
writeFileSync(new URL('./signatures.results.md', import.meta.url), out);
console.log(out);
