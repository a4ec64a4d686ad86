import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashApiKey, parseApiKey, verifyApiKey } from '../../packages/nest/src/authentication/api-key/api-key-format.js';
import { ROOT } from '../support/pack.js';

// `bastion keys api-key` (the built CLI, as users run it) prints exactly what @bastion/nest's verifier accepts.
describe('bastion keys api-key → @bastion/nest', () => {
  it('prints keys the verifier parses (format and checksum) with the hash it stores', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'packages/codemod/dist/esm/cli.js'), 'keys', 'api-key', '--count', '5', '--json'], { encoding: 'utf8' });
    const keys = JSON.parse(out) as { key: string; id: string; hash: string }[];
    expect(keys).toHaveLength(5);
    for (const { key, id, hash } of keys) {
      expect(parseApiKey(key)?.id).toBe(id);
      expect(hashApiKey(key)).toBe(hash);
      expect(verifyApiKey(key, hash)).toBe(true);
    }
  });
});
