/**
 * CPU cost of each telemetry instrumentation point, in process, next to the same call with telemetry
 * off, in interleaved rounds (median): the security-event subscriber, the store decorator, the verifier
 * observer, a step span (with and without a recording request span), and the off path of a traced step.
 * In-process CPU time of tight loops is little affected by other load on the machine, unlike the
 * per-request figures of telemetry-overhead.ts; the sum per request is given for a protected request.
 *
 *   cd bench && node --import @swc-node/register/esm-register telemetry-points.ts [iterations=100000] [rounds=7]
 *
 * Writes telemetry-points.results.md next to this file. Benchmarks are not tests: nothing is asserted.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as api from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SecurityEvent } from '../packages/nest/src/audit/security-event.js';
import { resolveJwtOptions } from '../packages/nest/src/authentication/jwt/jwt-config.js';
import { JwtVerifier } from '../packages/nest/src/authentication/jwt/jwt-verifier.js';
import { MemoryStore } from '../packages/nest/src/stores/memory.store.js';
import { InstrumentedStore } from '../packages/nest/src/telemetry/instrumented-store.js';
import { SecurityMetrics } from '../packages/nest/src/telemetry/security-metrics.js';
import { StepTracer } from '../packages/nest/src/telemetry/step-tracer.js';
import { TestIssuer } from '../packages/nest/src/testing/index.js';

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 7);

api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const meterProvider = new MeterProvider({ readers: [new PrometheusExporter({ preventServerStart: true })] });
const metrics = new SecurityMetrics(meterProvider.getMeter('@bastion/nest') as api.Meter);
const dropSpans: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropSpans, { maxQueueSize: 1_000_000, maxExportBatchSize: 4096 })] });
const steps = new StepTracer(api, tracerProvider.getTracer('@bastion/nest') as api.Tracer);

const issuer = await TestIssuer.start({ algorithm: 'RS256' });
const token = await issuer.sign({ sub: 'bench-user', scope: 'orders:read' }, { expiresIn: 3600 });
const plainVerifier = new JwtVerifier(resolveJwtOptions(issuer.options()));
const observedVerifier = new JwtVerifier(resolveJwtOptions(issuer.options()));
observedVerifier.instrument(metrics.verification('jwt'));
await plainVerifier.verify(token);
await observedVerifier.verify(token);

const plainStore = new MemoryStore();
const observedStore = new InstrumentedStore(new MemoryStore(), metrics.storeCalls('counters', 'memory'));
await plainStore.set('k', 'v', 3_600_000);
await observedStore.set('k', 'v', 3_600_000);

const event: SecurityEvent = {
  type: 'authentication.succeeded',
  outcome: 'success',
  time: new Date().toISOString(),
  requestId: 'req-1234567890',
  method: 'GET',
  route: '/orders/42',
  routeTemplate: '/orders/:id',
  ip: '203.0.113.9',
  principal: { subject: 'alice', credential: 'jwt' },
};

/** CPU µs per call of `body`, run `N` times. */
async function cpuPerCall(body: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) await body();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / N;
}

/** `body` run inside a recording request span (what an HTTP instrumentation makes). */
function inRequestSpan(body: () => Promise<unknown>): () => Promise<unknown> {
  return () => {
    const request = tracerProvider.getTracer('http').startSpan('GET');
    return api.context.with(api.trace.setSpan(api.context.active(), request), body).finally(() => request.end());
  };
}

const step = async () => true;
const CASES: { name: string; off: () => unknown; on: () => unknown; perRequest: number }[] = [
  { name: 'security event → counter (subscriber)', off: () => undefined, on: () => metrics.event(event), perRequest: 1 },
  { name: 'store call (MemoryStore.get) + decorator', off: () => plainStore.get('k'), on: () => observedStore.get('k'), perRequest: 4 },
  { name: 'verification, cache hit, + observer', off: () => plainVerifier.verify(token), on: () => observedVerifier.verify(token), perRequest: 1 },
  { name: 'step span, no request span active', off: step, on: () => steps.trace('authorize', step), perRequest: 0 },
  { name: 'step span under a recording request span (span made)', off: inRequestSpan(step), on: inRequestSpan(() => steps.trace('authorize', step, () => ({ 'http.route': '/orders/:id' }))), perRequest: 4 },
];

const samples = new Map<string, { off: number[]; on: number[] }>(CASES.map((c) => [c.name, { off: [], on: [] }]));
for (const c of CASES) {
  await cpuPerCall(c.off);
  await cpuPerCall(c.on);
}
for (let round = 0; round < ROUNDS; round++) {
  for (const c of CASES) {
    samples.get(c.name)!.off.push(await cpuPerCall(c.off));
    samples.get(c.name)!.on.push(await cpuPerCall(c.on));
  }
}
await issuer.close();
await tracerProvider.shutdown();
await meterProvider.shutdown();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows = CASES.map((c) => {
  const { off, on } = samples.get(c.name)!;
  return { ...c, off: median(off), on: median(on), delta: median(on) - median(off) };
});
const metricsPerRequest = rows.filter((r) => !r.name.startsWith('step span')).reduce((sum, r) => sum + r.delta * r.perRequest, 0);
const spansPerRequest = rows.find((r) => r.name.includes('recording'))!;
const fmt = (n: number) => n.toFixed(2);
const lines = [
  '# telemetry-points benchmark',
  '',
  `\`cd bench && node --import @swc-node/register/esm-register telemetry-points.ts ${N} ${ROUNDS}\` — Node ${process.version}; ${N} calls per sample,`,
  `median of ${ROUNDS} interleaved rounds; CPU time (user + system) of the process. Load average at start: ${loadavg()[0]!.toFixed(1)}.`,
  'Metrics into a MeterProvider with the Prometheus exporter; spans batched to a discarding exporter; AsyncLocalStorage context manager.',
  '',
  '| instrumentation point | off (µs/call) | on (µs/call) | added (µs/call) | per protected request |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${fmt(r.off)} | ${fmt(r.on)} | ${fmt(r.delta)} | ×${r.perRequest} |`),
  '',
  `Metrics on a protected request (1 event, 4 store calls — block check, revocation, throttle — and 1 verification): **≈ ${fmt(metricsPerRequest)} µs CPU** added.`,
  `Traces add ≈ ${fmt(spansPerRequest.delta)} µs per step span (block, authenticate, throttle, authorize): **≈ ${fmt(spansPerRequest.delta * 4)} µs** per traced request;`,
  'an untraced or unsampled request pays the "no request span active" row per step; with no SDK nothing is installed (0).',
  '',
];
writeFileSync(new URL('./telemetry-points.results.md', import.meta.url), lines.join('\n'));
console.log(lines.join('\n'));
