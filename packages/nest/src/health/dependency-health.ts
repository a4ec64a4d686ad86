import { randomUUID } from 'node:crypto';
import type { IntrospectionVerifier } from '../authentication/introspection/introspection-verifier.js';
import type { JwtVerifier } from '../authentication/jwt/jwt-verifier.js';
import type { KeySetStatus } from '../authentication/jwt/static-key-set.js';
import type { FetchStatus } from '../oauth-client/fetch-history.js';
import type { SecurityStateStore } from '../stores/security-state.interface.js';
import type { BastionStore } from '../stores/store.interface.js';
import { errorType } from '../telemetry/attributes.js';
import { storeTypeOf } from '../telemetry/instrumented-store.js';

/** `up`: Bastion can decide requests with it; `down`: requests that need it are refused. */
export type HealthStatus = 'up' | 'down';

/** Last outcomes of a remote document or endpoint, as ISO times. */
export interface FetchHealth {
  readonly lastSuccess?: string;
  readonly lastFailure?: string;
  /** Operator message of the last failure (`HTTP 503`, `timed out after 5000 ms`). */
  readonly lastError?: string;
}

/** One issuer's key set. */
export interface KeySetHealth extends FetchHealth {
  readonly status: HealthStatus;
  readonly source: 'static' | 'remote';
  readonly keys: number;
  /** Seconds since the last successful fetch (remote key sets). */
  readonly ageSeconds?: number;
  /** Past `jwks.maxAge`: the cached keys are still used while a refresh is attempted. */
  readonly stale?: boolean;
  /** Past `jwks.maxAge + jwks.maxStale`, or never fetched: every token of this issuer is refused. */
  readonly expired?: boolean;
  /** The discovery document the JWKS is found through. */
  readonly discovery?: FetchHealth;
}

/** One issuer's introspection endpoint. */
export interface EndpointHealth extends FetchHealth {
  readonly status: HealthStatus;
}

/** A store's answer to one round trip. */
export interface StoreHealth {
  readonly status: HealthStatus;
  readonly type: 'memory' | 'redis' | 'custom';
  readonly latencyMs?: number;
  /** The failure's code or class (`ECONNREFUSED`, `timeout`), never its message. */
  readonly error?: string;
}

/** Every dependency checked: by issuer, and each store (counters; security state, when apart). */
export interface DependencyReport {
  readonly status: HealthStatus;
  readonly issuers: Record<string, { keySet?: KeySetHealth; introspection?: EndpointHealth }>;
  readonly stores?: { counters?: StoreHealth; security?: StoreHealth };
}

/** What to check; every part is checked by default. */
export interface DependencyCheckOptions {
  /** Each issuer's key set (a due refresh is started first, within its cooldown). Default `true`. */
  keySets?: boolean;
  /** Each introspection endpoint; probed when no call has told its state for `probeInterval`. Default `true`. */
  introspection?: boolean;
  /** A round trip to each store (counters and security state). Default `true`. */
  store?: boolean;
  /** Seconds a call's outcome stands for the endpoint's state before it is probed again. Default 30. */
  probeInterval?: number;
  /** A store round trip slower than this counts as down, ms. Default 2,000. */
  storeTimeoutMs?: number;
}

/** What the checks read. */
export interface Dependencies {
  readonly jwt?: JwtVerifier | null;
  readonly introspection?: IntrospectionVerifier | null;
  readonly store?: BastionStore;
  readonly securityState?: SecurityStateStore | null;
  /** Clock, ms. Default `Date.now`. */
  readonly now?: () => number;
}

// One probe in flight per endpoint, shared by concurrent checks (liveness and readiness probes often coincide).
const probes = new WeakMap<object, Promise<unknown>>();

function probeOnce(client: { introspect(token: string): Promise<unknown> }): Promise<unknown> {
  let probe = probes.get(client);
  if (!probe) {
    probe = client
      .introspect(`bastion-health-${randomUUID()}`)
      .catch(() => undefined)
      .finally(() => probes.delete(client));
    probes.set(client, probe);
  }
  return probe;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function fetchHealth(status: FetchStatus): FetchHealth {
  return { lastSuccess: iso(status.lastSuccess), lastFailure: iso(status.lastFailure), lastError: status.lastError };
}

/** A key set's health from its status: down when never fetched or past its staleness limit. */
export function keySetHealth(status: KeySetStatus, now: number): KeySetHealth {
  if (status.source === 'static' || !status.fetch) return { status: 'up', source: 'static', keys: status.keys };
  const { fetch, maxAge = 0, maxStale = 0 } = status;
  const discovery = status.discovery ? { discovery: fetchHealth(status.discovery) } : {};
  if (fetch.lastSuccess === undefined) return { status: 'down', source: 'remote', keys: 0, expired: true, ...fetchHealth(fetch), ...discovery };
  const age = Math.max(0, now - fetch.lastSuccess);
  const expired = age >= maxAge + maxStale;
  return {
    status: expired ? 'down' : 'up',
    source: 'remote',
    keys: status.keys,
    ageSeconds: Math.round(age / 1000),
    stale: age >= maxAge,
    expired,
    ...fetchHealth(fetch),
    ...discovery,
  };
}

/** An endpoint is down while its last call failed and none has succeeded since. */
export function endpointHealth(status: FetchStatus): EndpointHealth {
  const failing = status.lastFailure !== undefined && (status.lastSuccess === undefined || status.lastFailure > status.lastSuccess);
  return { status: failing ? 'down' : 'up', ...fetchHealth(status) };
}

/** One round trip (`ping`: a `get` of a key nobody writes) to a store of `type`, bounded by `timeoutMs`. */
export async function storeHealth(type: StoreHealth['type'], ping: () => Promise<unknown>, timeoutMs: number): Promise<StoreHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'timeout' })), timeoutMs);
      }),
    ]);
    return { status: 'up', type, latencyMs: Math.round((performance.now() - started) * 1000) / 1000 };
  } catch (error) {
    return { status: 'down', type, error: (error as { code?: unknown })?.code === 'timeout' ? 'timeout' : errorType(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks what Bastion depends on to decide requests: each issuer's key set (starting a due refresh
 * first), each introspection endpoint (probed with a random token — answered `active: false` — when no
 * call has told its state within `probeInterval`), and one store round trip. Framework-free; the
 * terminus indicator reports it.
 */
export async function checkDependencies(deps: Dependencies, options: DependencyCheckOptions = {}): Promise<DependencyReport> {
  const now = deps.now ?? (() => Date.now());
  const issuers: DependencyReport['issuers'] = {};
  const entry = (issuer: string) => (issuers[issuer] ??= {});
  const work: Promise<void>[] = [];
  if (options.keySets !== false) {
    for (const [issuer, keys] of deps.jwt?.keySets() ?? []) {
      work.push((keys.refreshIfStale?.() ?? Promise.resolve()).then(() => void (entry(issuer).keySet = keySetHealth(keys.status(), now()))));
    }
  }
  if (options.introspection !== false) {
    const interval = (options.probeInterval ?? 30) * 1000;
    for (const client of deps.introspection?.endpoints() ?? []) {
      const issuer = client.config.issuer;
      const { lastSuccess = -Infinity, lastFailure = -Infinity } = client.status();
      // RFC 7662 §2.2: a token the server does not know is answered `active: false`, which proves the endpoint works.
      const probe = now() - Math.max(lastSuccess, lastFailure) >= interval ? probeOnce(client) : Promise.resolve();
      work.push(probe.then(() => void (entry(issuer).introspection = endpointHealth(client.status()))));
    }
  }
  const stores: { counters?: StoreHealth; security?: StoreHealth } = {};
  if (options.store !== false) {
    const timeout = options.storeTimeoutMs ?? 2_000;
    const { store, securityState } = deps;
    if (store) work.push(storeHealth(storeTypeOf(store), () => store.get('health:ping'), timeout).then((s) => void (stores.counters = s)));
    if (securityState) work.push(storeHealth(storeTypeOf(securityState), () => securityState.get('revocation', 'health:ping'), timeout).then((s) => void (stores.security = s)));
  }
  await Promise.all(work);
  const parts = [...Object.values(issuers).flatMap((i) => [i.keySet, i.introspection]), stores.counters, stores.security];
  const status: HealthStatus = parts.some((p) => p?.status === 'down') ? 'down' : 'up';
  return { status, issuers, ...(options.store !== false && (deps.store || deps.securityState) ? { stores } : {}) };
}
