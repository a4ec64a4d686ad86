import { BastionConfigError, assertOneOf, assertOptionalObject, assertPositiveNumber, isPlainObject } from '../options/assert.js';
import { SECURITY_STATE_KINDS } from './security-state.interface.js';

const REDIS_URL = /^rediss?:\/\//;

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

/** Validates one Redis location: exactly one of `url`, `nodes`, `client`. */
function validateConnection(value: Record<string, unknown>, path: string): void {
  const given = ['url', 'nodes', 'client'].filter((k) => value[k] !== undefined);
  if (given.length !== 1) throw new BastionConfigError(path, 'needs exactly one of "url", "nodes" or "client"');
  if (value.url !== undefined && (typeof value.url !== 'string' || !REDIS_URL.test(value.url))) {
    throw new BastionConfigError(`${path}.url`, 'must be a redis:// or rediss:// URL');
  }
  if (value.nodes !== undefined) {
    if (!Array.isArray(value.nodes) || value.nodes.length === 0) throw new BastionConfigError(`${path}.nodes`, 'must be a non-empty array');
    value.nodes.forEach((node: unknown, i: number) => {
      const ok =
        typeof node === 'string'
          ? REDIS_URL.test(node) && URL.canParse(node)
          : isPlainObject(node) && typeof node.host === 'string' && node.host !== '' && Number.isInteger(node.port) && (node.port as number) > 0 && (node.port as number) < 65_536;
      if (!ok) throw new BastionConfigError(`${path}.nodes[${i}]`, 'must be a redis:// URL or { host, port }');
    });
  }
  if (value.client !== undefined && !hasMethods(value.client, ['get', 'set', 'evalsha', 'on'])) {
    throw new BastionConfigError(`${path}.client`, 'must be an ioredis Redis or Cluster client');
  }
}

/** Validates `store`. */
export function validateStoreOptions(value: unknown): void {
  assertOptionalObject(value, 'store');
  if (!isPlainObject(value)) return;
  assertOneOf(value.type, ['memory', 'redis', 'custom'], 'store.type');
  if (value.type === 'memory') {
    assertPositiveNumber(value.maxKeys, 'store.maxKeys');
    assertOptionalObject(value.maxSecurityEntries, 'store.maxSecurityEntries');
    const limits = (value.maxSecurityEntries ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(limits)) {
      assertOneOf(key, SECURITY_STATE_KINDS, `store.maxSecurityEntries.${key}`);
      const limit = limits[key];
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw new BastionConfigError(`store.maxSecurityEntries.${key}`, 'must be an integer ≥ 1');
    }
  } else if (value.type === 'redis') {
    validateConnection(value, 'store');
    if (value.keyPrefix !== undefined && (typeof value.keyPrefix !== 'string' || value.keyPrefix === '')) {
      throw new BastionConfigError('store.keyPrefix', 'must be a non-empty string');
    }
    assertPositiveNumber(value.commandTimeoutMs, 'store.commandTimeoutMs');
    if (value.security !== undefined) {
      assertOptionalObject(value.security, 'store.security');
      validateConnection(value.security, 'store.security');
    }
    if (value.evictionCheck !== undefined) assertOneOf(value.evictionCheck, ['refuse', 'warn', 'off'], 'store.evictionCheck');
  } else {
    if (!hasMethods(value.store, ['increment', 'hitSliding', 'get', 'set', 'setIfAbsent', 'delete'])) {
      throw new BastionConfigError('store.store', 'must implement BastionStore');
    }
    if (!hasMethods(value.securityStore, ['get', 'put', 'putIfAbsent', 'delete'])) {
      throw new BastionConfigError('store.securityStore', 'must implement SecurityStateStore (revocations, blocks and replay nonces never live in the counter store)');
    }
  }
}
