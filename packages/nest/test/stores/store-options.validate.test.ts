import { describe, expect, it } from 'vitest';
import { validateOptions } from '../../src/options/validate-options.js';
import { MemorySecurityStore } from '../../src/stores/memory-security.store.js';
import { MemoryStore } from '../../src/stores/memory.store.js';

describe('store options', () => {
  it.each([
    [{ store: { type: 'redis', url: 'redis://a:6379', nodes: ['redis://b:6379'] } }, '"store" needs exactly one of'],
    [{ store: { type: 'redis', nodes: [] } }, '"store.nodes"'],
    [{ store: { type: 'redis', nodes: ['redis://a:6379', 'http://b'] } }, '"store.nodes[1]"'],
    [{ store: { type: 'redis', nodes: [{ host: 'a', port: 70_000 }] } }, '"store.nodes[0]"'],
    [{ store: { type: 'redis', client: {} } }, '"store.client"'],
    [{ store: { type: 'redis', url: 'redis://a', security: {} } }, '"store.security" needs exactly one of'],
    [{ store: { type: 'redis', url: 'redis://a', security: { url: 'tcp://b' } } }, '"store.security.url"'],
    [{ store: { type: 'redis', url: 'redis://a', evictionCheck: 'never' } }, '"store.evictionCheck"'],
    [{ store: { type: 'memory', maxSecurityEntries: { tokens: 5 } } }, '"store.maxSecurityEntries.tokens"'],
    [{ store: { type: 'memory', maxSecurityEntries: { nonce: 0 } } }, '"store.maxSecurityEntries.nonce"'],
    [{ store: { type: 'memory', maxSecurityEntries: { block: 1.5 } } }, '"store.maxSecurityEntries.block"'],
    [{ store: { type: 'custom', store: new MemoryStore() } }, '"store.securityStore"'],
    [{ store: { type: 'custom', store: new MemoryStore(), securityStore: new MemoryStore() } }, '"store.securityStore"'],
  ])('refuses %j at boot naming the option', (options, message) => {
    expect(() => validateOptions(options as never)).toThrow(message);
  });

  it('accepts the documented forms', () => {
    for (const store of [
      { type: 'memory', maxKeys: 10, maxSecurityEntries: { revocation: 1, block: 2, nonce: 3 } },
      { type: 'redis', nodes: ['redis://user:pw@10.0.0.5:6379', { host: '10.0.0.6', port: 6379 }], evictionCheck: 'warn' },
      { type: 'redis', url: 'rediss://cache:6380', security: { nodes: ['rediss://sec:6380'] }, evictionCheck: 'off' },
      { type: 'custom', store: new MemoryStore(), securityStore: new MemorySecurityStore() },
    ]) {
      expect(() => validateOptions({ store } as never)).not.toThrow();
    }
  });
});
