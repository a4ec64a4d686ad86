import { BastionConfigError, assertNonEmptyString, assertNonNegativeNumber, assertOptionalBoolean, assertPositiveNumber, isPlainObject } from '../../options/assert.js';
import { SIGNATURE_ALGORITHMS } from './algorithms.js';
import { componentId, parseComponentId } from './components.js';
import type { SignatureLimits } from './signature-headers.js';
import { StaticKeySource, resolveSignatureKey, type SignatureKeySource } from './signature-keys.js';
import { DEFAULT_REQUIRED_COMPONENTS, type SignatureOptions } from './signature-options.js';

/** The `signature` options, validated and with every default applied. */
export interface SignatureConfig {
  /** Alternative sets of serialized component identifiers (`"@method"`); one must be fully covered. */
  readonly required: readonly (readonly string[])[];
  /** Seconds. */
  readonly maxAge: number;
  /** Seconds. */
  readonly clockTolerance: number;
  readonly requireNonce: boolean;
  readonly label: string | undefined;
  readonly tag: string | undefined;
  readonly limits: SignatureLimits;
  /** The key source; `'api-keys'` is bound to the API-key store by the providers. */
  readonly keySource: SignatureKeySource | 'api-keys';
}

const MAX_AGE_LIMIT = 3_600;
const TOLERANCE_LIMIT = 300;

/** RFC 9421 §7.2.1: without the method and the whole target a signed request can be pointed elsewhere. */
function coversTarget(ids: ReadonlySet<string>): boolean {
  if (!ids.has('"@method"')) return false;
  if (ids.has('"@target-uri"')) return true;
  return ids.has('"@authority"') && (ids.has('"@request-target"') || (ids.has('"@path"') && ids.has('"@query"')));
}

function requiredSets(value: unknown, path: string): string[][] {
  if (value === undefined) return DEFAULT_REQUIRED_COMPONENTS.map((set) => set.map((c) => componentId(parseComponentId(c))));
  if (!Array.isArray(value) || value.length === 0) throw new BastionConfigError(path, 'must be a non-empty array of component names (or of such arrays)');
  const sets = (value.every((v) => typeof v === 'string') ? [value] : value) as unknown[];
  return sets.map((set, i) => {
    const at = sets.length === 1 && set === value ? path : `${path}[${i}]`;
    if (!Array.isArray(set) || set.length === 0) throw new BastionConfigError(at, 'must be a non-empty array of component names');
    const ids = set.map((c, j) => {
      try {
        if (typeof c !== 'string') throw new TypeError('not a string');
        return componentId(parseComponentId(c));
      } catch {
        throw new BastionConfigError(`${at}[${j}]`, 'must be a component name such as "@method", "content-type" or "@query-param;name=\\"id\\""');
      }
    });
    if (!coversTarget(new Set(ids))) {
      throw new BastionConfigError(at, 'must cover "@method" and the target: "@target-uri", or "@authority" with "@request-target" or with "@path" and "@query"');
    }
    return ids;
  });
}

function limit(value: unknown, path: string, fallback: number): number {
  assertPositiveNumber(value, path);
  if (value !== undefined && !Number.isInteger(value)) throw new BastionConfigError(path, 'must be an integer');
  return (value as number | undefined) ?? fallback;
}

/**
 * Validates the `signature` option at boot and applies defaults; `undefined` when it is not set. Throws
 * `BastionConfigError` naming the first bad option (`signature.keys[1].key`, `signature.maxAge`…).
 */
export function resolveSignatureOptions(options: SignatureOptions | undefined, path = 'signature'): SignatureConfig | undefined {
  if (options === undefined) return undefined;
  if (!isPlainObject(options)) throw new BastionConfigError(path, 'must be an object');
  const { keys, keySource } = options;
  if ((keys === undefined) === (keySource === undefined)) throw new BastionConfigError(`${path}.keys`, 'is required (or "keySource" instead; exactly one of the two)');
  let source: SignatureKeySource | 'api-keys';
  if (keys !== undefined) {
    if (!Array.isArray(keys) || keys.length === 0) throw new BastionConfigError(`${path}.keys`, 'must be a non-empty array of keys');
    keys.forEach((k, i) => {
      if (!isPlainObject(k)) throw new BastionConfigError(`${path}.keys[${i}]`, 'must be an object');
      if (!SIGNATURE_ALGORITHMS.includes(k.alg as never)) throw new BastionConfigError(`${path}.keys[${i}].alg`, `must be one of ${SIGNATURE_ALGORITHMS.join(', ')}`);
    });
    const seen = new Set<string>();
    const resolved = keys.map((k, i) => {
      if (seen.has(k.keyid)) throw new BastionConfigError(`${path}.keys[${i}].keyid`, 'appears twice: each key needs its own keyid (rotate by adding a key with a new one)');
      seen.add(k.keyid);
      try {
        return resolveSignatureKey(k);
      } catch (error) {
        const message = (error as Error).message;
        const field = /^(keyid|owner|notBefore|notAfter)\b/.exec(message)?.[1];
        throw new BastionConfigError(`${path}.keys[${i}].${field ?? 'key'}`, field ? message.slice(field.length + 1) : message);
      }
    });
    source = new StaticKeySource(resolved);
  } else if (keySource === 'api-keys' || typeof (keySource as Partial<SignatureKeySource> | null)?.find === 'function') {
    source = keySource as SignatureKeySource | 'api-keys';
  } else {
    throw new BastionConfigError(`${path}.keySource`, 'must be "api-keys" or an object with a find(keyid) method');
  }
  assertPositiveNumber(options.maxAge, `${path}.maxAge`);
  if ((options.maxAge ?? 0) > MAX_AGE_LIMIT) throw new BastionConfigError(`${path}.maxAge`, `must be at most ${MAX_AGE_LIMIT} seconds (a long window keeps replays possible)`);
  assertNonNegativeNumber(options.clockTolerance, `${path}.clockTolerance`);
  if ((options.clockTolerance ?? 0) > TOLERANCE_LIMIT) throw new BastionConfigError(`${path}.clockTolerance`, `must be at most ${TOLERANCE_LIMIT} seconds`);
  assertOptionalBoolean(options.requireNonce, `${path}.requireNonce`);
  if (options.label !== undefined) assertNonEmptyString(options.label, `${path}.label`);
  if (options.tag !== undefined) assertNonEmptyString(options.tag, `${path}.tag`);
  if (options.limits !== undefined && !isPlainObject(options.limits)) throw new BastionConfigError(`${path}.limits`, 'must be an object');
  const limits = options.limits ?? {};
  return {
    required: requiredSets(options.requiredComponents, `${path}.requiredComponents`),
    maxAge: options.maxAge ?? 300,
    clockTolerance: options.clockTolerance ?? 5,
    requireNonce: options.requireNonce === true,
    label: options.label,
    tag: options.tag,
    limits: {
      maxFieldBytes: limit(limits.maxFieldBytes, `${path}.limits.maxFieldBytes`, 8_192),
      maxSignatures: limit(limits.maxSignatures, `${path}.limits.maxSignatures`, 8),
      maxComponents: limit(limits.maxComponents, `${path}.limits.maxComponents`, 32),
    },
    keySource: source,
  };
}
