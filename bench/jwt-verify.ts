/**
 * CPU cost of one fresh JWT verification through `JwtVerifier` (strict parse, issuer and algorithm
 * pinning, key lookup, signature, claims, principal mapping, cache insert), next to the floor: a raw
 * `crypto.verify` of the same token's signature with a prepared `KeyObject`, and next to Bastion 0.1's
 * path (the same strict parse and claim checks, then `jose`'s `compactVerify`, which parses the token a
 * second time). RS256 and ES256, keys from a real JWKS on loopback (fetched once before timing), every
 * token used once. Rounds are interleaved and the median is reported.
 *
 *   cd bench && node --import @swc-node/register/esm-register jwt-verify.ts [tokens=2000] [rounds=5]
 *
 * Writes jwt-verify.results.md next to this file. Benchmarks are not tests: nothing is asserted.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';
import { checkClaims } from '../packages/nest/src/authentication/jwt/claims.js';
import { identityFromClaims } from '../packages/nest/src/authentication/jwt/claims-principal.js';
import { parseCompactJws } from '../packages/nest/src/authentication/jwt/compact-jws.js';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolveJwtOptions } from '../packages/nest/src/authentication/jwt/jwt-config.js';
import { JwtVerifier } from '../packages/nest/src/authentication/jwt/jwt-verifier.js';
import { TestIssuer } from '../packages/nest/src/testing/index.js';

const TOKENS = Number(process.argv[2] ?? 2_000);
const ROUNDS = Number(process.argv[3] ?? 5);

type Alg = 'RS256' | 'ES256';

interface Sample {
  alg: Alg;
  what: 'JwtVerifier' | 'crypto.verify' | '0.1 path';
  /** CPU µs per verification (user + system). */
  cpu: number;
  /** Wall µs per verification. */
  wall: number;
}

async function measure(count: number, body: (i: number) => unknown): Promise<{ cpu: number; wall: number }> {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await body(i);
  const wall = Number(process.hrtime.bigint() - wall0) / 1e3;
  const used = process.cpuUsage(cpu0);
  return { cpu: (used.user + used.system) / count, wall: wall / count };
}

function rawVerifier(alg: Alg, key: KeyObject): (token: string) => boolean {
  return (token) => {
    const dot = token.lastIndexOf('.');
    const data = Buffer.from(token.slice(0, dot));
    const signature = Buffer.from(token.slice(dot + 1), 'base64url');
    return alg === 'ES256' ? verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature) : verify('sha256', data, key, signature);
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const issuer = await TestIssuer.start({ algorithm: 'RS256', algorithms: ['ES256'] });
const samples: Sample[] = [];
try {
  for (const alg of ['RS256', 'ES256'] as const) {
    const publicKey = createPublicKey(await issuer.publicKeyPem(alg));
    const raw = rawVerifier(alg, publicKey);
    for (let round = 0; round < ROUNDS; round++) {
      // Fresh tokens and a fresh verifier per round: no verified-token cache hits, keys fetched once.
      const tokens = await Promise.all(Array.from({ length: TOKENS }, (_, i) => issuer.sign({ sub: `user-${round}-${i}`, scope: 'orders:read' }, { algorithm: alg })));
      const [config] = resolveJwtOptions(issuer.options({ algorithms: [alg], jwks: { timeout: 30 } }));
      const verifier = new JwtVerifier([config!], { warn: (m) => console.error(m) });
      await verifier.verify(await issuer.sign({ sub: 'warm-up' }, { algorithm: alg }));
      for (let i = 0; i < 200; i++) raw(tokens[i]!);
      const v = await measure(TOKENS, (i) => verifier.verify(tokens[i]!));
      samples.push({ alg, what: 'JwtVerifier', ...v });
      const r = await measure(TOKENS, (i) => {
        if (!raw(tokens[i]!)) throw new Error('raw verify failed');
      });
      samples.push({ alg, what: 'crypto.verify', ...r });
      // Bastion 0.1: hash, strict parse, jose's compactVerify (a second parse), claims, mapping.
      const old = await measure(TOKENS, async (i) => {
        const token = tokens[i]!;
        createHash('sha256').update(token).digest('base64url');
        const parsed = parseCompactJws(token);
        await compactVerify(token, publicKey, { algorithms: [alg] });
        checkClaims(parsed.claims, parsed.typ, config!, Date.now() / 1000);
        identityFromClaims({ ...parsed.claims }, config!);
      });
      samples.push({ alg, what: '0.1 path', ...old });
    }
  }
} finally {
  await issuer.close();
}

const rows = (['RS256', 'ES256'] as const).map((alg) => {
  const of = (what: Sample['what']) => samples.filter((s) => s.alg === alg && s.what === what);
  const verifierCpu = median(of('JwtVerifier').map((s) => s.cpu));
  const rawCpu = median(of('crypto.verify').map((s) => s.cpu));
  const oldCpu = median(of('0.1 path').map((s) => s.cpu));
  return { alg, verifierCpu, rawCpu, oldCpu, ratio: verifierCpu / rawCpu, overhead: verifierCpu - rawCpu, verifierWall: median(of('JwtVerifier').map((s) => s.wall)) };
});

const f = (n: number) => n.toFixed(1);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
const table = [
  `| alg | JwtVerifier (CPU µs/verification) | raw crypto.verify (CPU µs) | ratio | Bastion's own cost (µs) | 0.1 path (parse + jose) CPU µs | now / 0.1 | JwtVerifier wall µs |`,
  `|---|---|---|---|---|---|---|---|`,
  ...rows.map((r) => `| ${r.alg} | ${f(r.verifierCpu)} | ${f(r.rawCpu)} | ${r.ratio.toFixed(2)}× | ${f(r.overhead)} | ${f(r.oldCpu)} | ${(r.verifierCpu / r.oldCpu).toFixed(2)}× | ${f(r.verifierWall)} |`),
].join('\n');
const report = `# jwt-verify\n\n${TOKENS} fresh tokens per round, ${ROUNDS} interleaved rounds, median; ${machine}; load ${(await import('node:os')).loadavg()[0]!.toFixed(1)}.\n\n${table}\n`;
writeFileSync(new URL('./jwt-verify.results.md', import.meta.url), report);
console.log(report);
