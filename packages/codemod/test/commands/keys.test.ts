import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { runKeys } from '../../src/commands/keys.js';

/** CRC-32 of the key body in 6 base62 digits, as docs/authentication.md documents it. */
function checksum(body: string): string {
  const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < 6; i++, n = Math.floor(n / 62)) out = digits[n % 62] + out;
  return out;
}

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runKeys(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

describe('bastion keys', () => {
  it('prints a 32-byte base64url HMAC secret', async () => {
    const { code, stdout } = await run('hmac', '--json');
    expect(code).toBe(0);
    const { secret } = JSON.parse(stdout);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect((await run('hmac')).stdout).toMatch(/^HMAC secret \(base64url, 32 bytes\):\n[A-Za-z0-9_-]{43}\n$/);
  });

  it('prints an Ed25519 JWK pair with a kid, whose keys sign and verify', async () => {
    const out = JSON.parse((await run('ed25519', '--json')).stdout);
    expect(out.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: out.kid, alg: 'EdDSA', use: 'sig' });
    expect(out.privateJwk).toMatchObject({ ...out.publicJwk, d: expect.any(String) });
    expect(out.jwks).toEqual({ keys: [out.publicJwk] });
    expect(out.kid).toBe(createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${out.publicJwk.x}"}`).digest('base64url'));
    const sig = sign(null, Buffer.from('m'), createPrivateKey({ key: out.privateJwk, format: 'jwk' }));
    expect(verify(null, Buffer.from('m'), createPublicKey({ key: out.publicJwk, format: 'jwk' }), sig)).toBe(true);
    expect(JSON.parse((await run('ed25519', '--kid', 'sig-2026', '--json')).stdout).kid).toBe('sig-2026');
  });

  it('prints API keys with the hash to store', async () => {
    const keys = JSON.parse((await run('api-key', '--count', '3', '--json')).stdout);
    expect(keys).toHaveLength(3);
    for (const { key, id, hash } of keys) {
      expect(key).toMatch(new RegExp(`^bst_${id}_[0-9A-Za-z]{49}$`));
      expect(key.slice(64)).toBe(checksum(key.slice(0, 64)));
      expect(hash).toBe(`sha256:${createHash('sha256').update(key).digest('base64url')}`);
    }
    expect(new Set(keys.map((k: { key: string }) => k.key)).size).toBe(3);
    const text = (await run('api-key')).stdout;
    expect(text).toMatch(/^API key \(give to the client once\): bst_[0-9a-f]{16}_[0-9A-Za-z]{49}\nKey id: [0-9a-f]{16}\nHash to store: sha256:\S{43}\n$/);
  });

  it('shows help with exit 0 and refuses bad usage with exit 2', async () => {
    for (const argv of [[], ['--help'], ['hmac', '-h']]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: bastion keys');
    }
    for (const argv of [['rsa'], ['hmac', '--count', '0'], ['hmac', '--count'], ['hmac', '--kid', 'x'], ['ed25519', '--kid', 'bad id'], ['hmac', 'extra'], ['hmac', '--nope']]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^bastion keys: /);
    }
  });
});
