import { describe, expect, it } from 'vitest';
import { contentDigest, verifyContentDigest } from '../../../src/authentication/signature/content-digest.js';
import { rfc9530 } from './vectors.js';

const reasonOf = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { reason?: string }).reason;
  }
};

const computable = rfc9530.cases.filter((c) => c.locally_recomputed_matches === true && (c.alg === 'sha-256' || c.alg === 'sha-512'));

describe('Content-Digest (RFC 9530)', () => {
  it('has computable sha-256 and sha-512 vectors to run', () => {
    expect(computable.length).toBeGreaterThanOrEqual(6);
  });

  it.each(computable.map((c) => [`${c.context} ${c.alg}`, c] as const))('%s: computed and verified against the exact bytes', (_name, c) => {
    const body = Buffer.from(c.input_bytes_hex, 'hex');
    const header = `${c.alg}=:${c.value_as_in_rfc}:`;
    expect(contentDigest(body, c.alg as 'sha-256' | 'sha-512')).toBe(header);
    expect(reasonOf(() => verifyContentDigest([header], body))).toBe('ok');
    if (c.header_form?.startsWith('Content-Digest: ')) expect(reasonOf(() => verifyContentDigest([c.header_form!.slice(16)], body))).toBe('ok');
    // The trailing-LF difference between RFC 9530 §2 and Appendix D matters: one byte more is a mismatch.
    expect(reasonOf(() => verifyContentDigest([header], Buffer.concat([body, Buffer.from('\n')])))).toBe('ERR_DIGEST_MISMATCH');
  });

  it('checks every sha-256/sha-512 member, ignores other algorithms, and refuses a field with only insecure ones', () => {
    const body = Buffer.from('{"hello": "world"}');
    const good256 = contentDigest(body, 'sha-256');
    const good512 = contentDigest(body, 'sha-512');
    expect(reasonOf(() => verifyContentDigest([`${good256}, ${good512}`], body))).toBe('ok');
    expect(reasonOf(() => verifyContentDigest([good256, good512], body))).toBe('ok');
    const md5 = rfc9530.cases.find((c) => c.alg === 'md5')!.value_as_in_rfc;
    const sha = rfc9530.cases.find((c) => c.alg === 'sha')!.value_as_in_rfc;
    expect(reasonOf(() => verifyContentDigest([`md5=:${md5}:, ${good256}`], body))).toBe('ok');
    // A matching sha-256 cannot vouch for a wrong sha-512 sent next to it.
    expect(reasonOf(() => verifyContentDigest([`${good256}, ${contentDigest(Buffer.from('x'), 'sha-512')}`], body))).toBe('ERR_DIGEST_MISMATCH');
    expect(reasonOf(() => verifyContentDigest([`md5=:${md5}:, sha=:${sha}:`], body))).toBe('ERR_DIGEST_UNSUPPORTED');
    for (const [alg, value] of Object.entries(rfc9530.appendix_D_other_algorithms_verbatim).filter(([k]) => !k.startsWith('_'))) {
      expect(reasonOf(() => verifyContentDigest([`${alg}=${value}`], body))).toBe('ERR_DIGEST_UNSUPPORTED');
    }
  });

  it('refuses missing, malformed and truncated digests', () => {
    const body = Buffer.from('{"hello": "world"}\n');
    expect(reasonOf(() => verifyContentDigest([], body))).toBe('ERR_DIGEST_MISSING');
    for (const bad of ['sha-256', 'sha-256=abc', 'sha-256="RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg="', 'sha-256=:RK/0qy18:', '=:x:', 'sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:,']) {
      expect(['ERR_DIGEST_MALFORMED', 'ERR_DIGEST_MISMATCH'], bad).toContain(reasonOf(() => verifyContentDigest([bad], body)));
    }
    // The source's malformed padding ("==" on a 32-byte digest) is never taken as a valid digest.
    expect(reasonOf(() => verifyContentDigest([rfc9530.malformed_padding_example_from_source.value], body))).not.toBe('ok');
  });

  it('digests an empty body (RFC 9530 B.2)', () => {
    expect(contentDigest(new Uint8Array(0))).toBe('sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:');
    expect(reasonOf(() => verifyContentDigest(['sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:'], new Uint8Array(0)))).toBe('ok');
  });
});
