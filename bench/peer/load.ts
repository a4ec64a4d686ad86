/** One measured window: autocannon against one app, the app's CPU time read before and after. */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import type { Scenario } from './scenarios.js';
import type { Interference } from './interference.js';
import type { ServerHandle } from './servers.js';
import type { Alg, TokenSlice } from './tokens.js';

export interface LoadPlan {
  connections: number;
  /** Duration of the window, s; a window with an `amount` ends sooner when that many requests are done. */
  seconds: number;
  /** At most this many requests (required for fresh-token scenarios: each with the next token of `fresh`). */
  amount?: number;
  fresh?: TokenSlice;
  reused: Record<Alg, string>;
  /** Measures other processes' share of the machine during the window. */
  interference?: Interference;
}

/** The figures of one window. */
export interface Shot {
  requests: number;
  seconds: number;
  rps: number;
  /** Latency, ms. */
  p50: number;
  p99: number;
  /** Server CPU time (user + system, all threads) per request, µs. */
  cpuUs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Responses whose status was not the scenario's. */
  wrongStatus: number;
  statusCodes: Record<string, number>;
  /** Fresh tokens sent a second time (must be 0). */
  repeats: number;
  /** 1-minute load average at the end of the window. */
  load1: number;
  /** Server clock (µs) at the window's edges, for `--cpu-prof` sample filtering. */
  clockUs: [number, number];
  cpuTotalUs: number;
  /** Share of the whole machine (0–1) other processes used during the window. */
  others: number;
}

/** Runs autocannon; an amount-bound run is also stopped after `maxMs` (the tokens of a slice never repeat either way). */
function run(options: autocannon.Options, maxMs?: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const instance = autocannon(options, (error, result) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result);
    });
    if (maxMs !== undefined && options.amount !== undefined) timer = setTimeout(() => instance.stop(), maxMs);
  });
}

export function loadOptions(server: ServerHandle, s: Scenario, plan: LoadPlan): autocannon.Options {
  const headers: Record<string, string> = {};
  if (s.body !== undefined) headers['content-type'] = 'application/json';
  if (s.token && !s.token.fresh) headers.authorization = `Bearer ${plan.reused[s.token.alg]}`;
  const request: autocannon.Request = { method: s.method, path: s.path, headers, body: s.body };
  if (s.token?.fresh) {
    const fresh = plan.fresh;
    if (!fresh || plan.amount === undefined) throw new Error(`${s.name} needs fresh tokens and an amount`);
    request.setupRequest = (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${fresh.next()}` } });
  }
  const base = { url: server.url, connections: plan.connections, requests: [request] };
  return plan.amount !== undefined ? { ...base, amount: plan.amount } : { ...base, duration: plan.seconds };
}

export async function measure(server: ServerHandle, s: Scenario, plan: LoadPlan): Promise<Shot> {
  const before = await server.stats();
  const machineBefore = plan.interference?.snapshot();
  const started = performance.now();
  const result = await run(loadOptions(server, s, plan), plan.seconds * 1000);
  // Wall time of the window (autocannon's own `duration` is whole seconds, wrong for amount-bound runs).
  const seconds = (performance.now() - started) / 1000;
  const others = plan.interference?.between(machineBefore, plan.interference.snapshot()) ?? 0;
  const after = await server.stats();
  const requests = result.requests.total;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, v.count]));
  const wrongStatus = Object.entries(statusCodes).reduce((sum, [code, count]) => (Number(code) === s.status ? sum : sum + count), 0);
  return {
    requests,
    seconds,
    rps: Math.round(requests / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUs: Math.round((after.cpuUs - before.cpuUs) / Math.max(1, requests)),
    cpuTotalUs: after.cpuUs - before.cpuUs,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    wrongStatus,
    statusCodes,
    repeats: plan.fresh?.repeats ?? 0,
    load1: loadavg()[0]!,
    clockUs: [before.clockUs, after.clockUs],
    others,
  };
}

/**
 * Why a window does not count (an app answered wrong, or requests failed), or undefined. `lenient`
 * (warm-up) tolerates connection errors and timeouts, which a starved server on a busy machine may
 * cause, but never a wrong answer.
 */
export function defect(shot: Shot, lenient = false): string | undefined {
  const problems: string[] = [];
  if (shot.requests === 0) problems.push('no response');
  if (shot.non2xx > 0 || shot.wrongStatus > 0) problems.push(`statuses ${JSON.stringify(shot.statusCodes)}`);
  if (shot.errors > 0 && !lenient) problems.push(`${shot.errors} connection errors`);
  if (shot.timeouts > 0 && !lenient) problems.push(`${shot.timeouts} timeouts`);
  if (shot.repeats > 0) problems.push(`${shot.repeats} fresh tokens sent twice`);
  return problems.length > 0 ? problems.join(', ') : undefined;
}
