/**
 * The kinds of security state, each with its own bound (a flood of one kind never takes room from another):
 * - `revocation`: revoked token ids and subject/client cut-offs (written by the app),
 * - `block`: brute-force blocks and their levels (written because of failed authentications: attackers
 *   cause them),
 * - `nonce`: replay nonces, remembered once until the message they protect can no longer be accepted.
 */
export type SecurityStateKind = 'revocation' | 'block' | 'nonce';

/** Every kind, in a stable order (for option validation, docs and metrics). */
export const SECURITY_STATE_KINDS: readonly SecurityStateKind[] = ['revocation', 'block', 'nonce'];

/**
 * The security-state port: state that must hold until it expires — revocations, blocks, replay nonces.
 * Unlike counters ({@link BastionStore}), nothing here is ever evicted to make room: every entry carries a
 * TTL and only that TTL (or an explicit `delete`) removes it. Memory is bounded per kind; a write that
 * would pass the bound is refused with {@link SecurityStateFullError}, never stored by dropping another
 * entry. Values are short strings; TTLs are milliseconds.
 *
 * **Failure contract** (as for counters): every method rejects when the backing service cannot answer;
 * a `get` that resolves `undefined` always means "absent". Callers fail closed on a rejection.
 */
export interface SecurityStateStore {
  get(kind: SecurityStateKind, key: string): Promise<string | undefined>;
  /**
   * The same answer as `get`, synchronously: only stores whose state lives in this process (memory) have
   * it. Per-request checks (revocation, blocks) use it when present, saving a promise per read.
   */
  getNow?(kind: SecurityStateKind, key: string): string | undefined;
  /** Stores `value` under `key` for `ttlMs` (replacing an existing value). Rejects with {@link SecurityStateFullError} at the bound. */
  put(kind: SecurityStateKind, key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Stores `value` only if `key` is absent, atomically across every instance sharing the store: `true`
   * when this call stored it. "Remember once until T" for replay nonces. Rejects at the bound.
   */
  putIfAbsent(kind: SecurityStateKind, key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(kind: SecurityStateKind, key: string): Promise<void>;
  /** Releases connections the store owns (called on application shutdown). Optional. */
  close?(): Promise<void>;
}

/** Injection token for the configured {@link SecurityStateStore}. */
export const BASTION_SECURITY_STATE = Symbol('BASTION_SECURITY_STATE');

/** What a store reports when a kind reached its bound (to raise the operator alert). */
export interface SecurityStateFull {
  kind: SecurityStateKind;
  /** The configured bound (entries), when the store knows it (memory); `undefined` for Redis (`maxmemory`). */
  limit: number | undefined;
  /** What sets the bound: an option path, or the `maxmemory` of the Redis an option names. */
  option: string;
}

/**
 * A security-state write refused because its kind is at its bound (memory) or the server is out of
 * memory and refuses writes (Redis `noeviction`). Nothing was stored and nothing was evicted.
 */
export class SecurityStateFullError extends Error {
  readonly code = 'ERR_SECURITY_STATE_FULL';

  constructor(
    readonly kind: SecurityStateKind,
    readonly limit: number | undefined,
    readonly option: string,
    options?: { cause?: unknown },
  ) {
    super(`security state "${kind}" is full${limit !== undefined ? ` at ${limit} entries` : ''}; its bound is set by ${option}`, options);
    this.name = 'SecurityStateFullError';
  }
}

/** `get` through `getNow` when the store has it: a value, or a promise of one. */
export function readSecurityState(store: SecurityStateStore, kind: SecurityStateKind, key: string): string | undefined | Promise<string | undefined> {
  return store.getNow ? store.getNow(kind, key) : store.get(kind, key);
}

/**
 * Remembers `key` as a replay nonce until `ttlMs` from now: `true` the first time, `false` for every
 * later call within that time, on every instance sharing the store. Rejects when the store cannot answer
 * or is full — a caller must then refuse the message (it cannot prove it is not a replay).
 */
export function rememberOnce(store: SecurityStateStore, key: string, ttlMs: number): Promise<boolean> {
  return store.putIfAbsent('nonce', key, '1', ttlMs);
}
