/** The kinds of OpenTelemetry instrument Bastion records with. */
export type MetricKind = 'counter' | 'histogram' | 'gauge' | 'observable-counter';

/** One metric Bastion records: what `docs/operations.md` lists and dashboards query. */
export interface MetricDefinition {
  /** OpenTelemetry instrument name (`bastion.*`). */
  readonly name: string;
  readonly kind: MetricKind;
  /** UCUM unit: `s`, or an annotation such as `{request}` for counts. */
  readonly unit: string;
  readonly description: string;
  /** Every attribute the metric may carry; all low-cardinality (never a subject, client id, IP, key id or token). */
  readonly attributes: readonly string[];
}

const ROUTE = ['http.route', 'http.request.method'] as const;

/**
 * Histogram buckets for verification and store round trips, in seconds: from 10 µs (a cached token, a
 * memory store) to 5 s (an identity provider or Redis timing out).
 */
export const LATENCY_BUCKETS: readonly number[] = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Every metric Bastion records, in one table: instruments are created from it, `docs/operations.md`
 * documents it (a test compares the two) and the Grafana dashboard may query only these names.
 */
export const BASTION_METRICS = {
  authenticationAttempts: {
    name: 'bastion.authentication.attempts',
    kind: 'counter',
    unit: '{attempt}',
    description: 'Authentication decisions on protected routes and presented credentials: success, or failure with its reason.',
    attributes: ['bastion.authentication.result', 'bastion.credential.type', 'bastion.reason', ...ROUTE],
  },
  authorizationDenials: {
    name: 'bastion.authorization.denials',
    kind: 'counter',
    unit: '{request}',
    description: 'Requests refused by authorization (boundary, scope, role, policy), by reason.',
    attributes: ['bastion.reason', 'bastion.boundary', 'bastion.credential.type', ...ROUTE],
  },
  throttleRejections: {
    name: 'bastion.throttle.rejections',
    kind: 'counter',
    unit: '{request}',
    description: 'Requests refused with 429: over a rate limit (ERR_RATE_LIMITED) or from a blocked client (ERR_CLIENT_BLOCKED).',
    attributes: ['bastion.reason', 'bastion.throttle.tracker', ...ROUTE],
  },
  clientBlocks: {
    name: 'bastion.client.blocks',
    kind: 'counter',
    unit: '{block}',
    description: 'Client addresses blocked after too many failed authentications (one per block started).',
    attributes: [],
  },
  alerts: {
    name: 'bastion.alerts',
    kind: 'counter',
    unit: '{alert}',
    description: 'Alerts raised, by rule.',
    attributes: ['bastion.alert.rule'],
  },
  revocationChecks: {
    name: 'bastion.revocation.checks',
    kind: 'counter',
    unit: '{check}',
    description: 'Revocation look-ups of verified principals: not revoked, revoked, or error (the store could not answer; the request is refused).',
    attributes: ['bastion.revocation.result'],
  },
  revocations: {
    name: 'bastion.revocations',
    kind: 'counter',
    unit: '{revocation}',
    description: 'Revocations written through RevocationService, by scope (one token, a subject, a client).',
    attributes: ['bastion.revocation.scope'],
  },
  storeErrors: {
    name: 'bastion.store.errors',
    kind: 'counter',
    unit: '{error}',
    description: 'Store calls that failed, by the part of Bastion that made them and the fail mode it applied (open: request let through; closed: refused; skip: background work dropped).',
    attributes: ['bastion.store', 'bastion.store.type', 'bastion.store.consumer', 'bastion.fail_mode', 'error.type'],
  },
  verificationDuration: {
    name: 'bastion.verification.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time to verify a bearer token, by credential type and whether the verified-token cache answered.',
    attributes: ['bastion.credential.type', 'bastion.token.cache', 'bastion.verification.result', 'bastion.reason'],
  },
  storeDuration: {
    name: 'bastion.store.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Round trip of one call to a store: counters (throttle, failure and alert windows) or security state (revocations, blocks, replay nonces, by kind).',
    attributes: ['bastion.store', 'bastion.store.type', 'bastion.store.operation', 'bastion.store.kind', 'error.type'],
  },
  keySetAge: {
    name: 'bastion.key_set.age',
    kind: 'gauge',
    unit: 's',
    description: "Time since the issuer's JWKS was last fetched successfully (absent until the first fetch).",
    attributes: ['bastion.issuer'],
  },
  issuerFetches: {
    name: 'bastion.issuer.fetches',
    kind: 'observable-counter',
    unit: '{fetch}',
    description: 'Fetches of issuer documents (JWKS, OpenID discovery), by result.',
    attributes: ['bastion.issuer', 'bastion.issuer.document', 'bastion.fetch.result'],
  },
  cachedTokens: {
    name: 'bastion.token_cache.size',
    kind: 'gauge',
    unit: '{token}',
    description: 'Verified tokens remembered (by hash) by the verified-token cache.',
    attributes: ['bastion.credential.type'],
  },
  storeSize: {
    name: 'bastion.store.size',
    kind: 'gauge',
    unit: '{entry}',
    description: 'Entries held by the in-memory stores: counter keys, and security state by kind (not reported for Redis or custom stores).',
    attributes: ['bastion.store', 'bastion.store.type', 'bastion.store.kind'],
  },
  storeCapacity: {
    name: 'bastion.store.capacity',
    kind: 'gauge',
    unit: '{entry}',
    description: 'Bound of the in-memory security state per kind (store.maxSecurityEntries): past it, new entries are refused.',
    attributes: ['bastion.store', 'bastion.store.type', 'bastion.store.kind'],
  },
} as const satisfies Record<string, MetricDefinition>;

/** Key of a metric in {@link BASTION_METRICS}. */
export type BastionMetric = keyof typeof BASTION_METRICS;
