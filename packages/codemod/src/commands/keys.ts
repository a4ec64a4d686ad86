import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** Where `bastion keys` writes. */
export interface KeysIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = `Usage: bastion keys <kind> [options]

Prints new key material for Bastion, in the format its options expect. Uses node:crypto only.

Kinds:
  hmac        HMAC-SHA256 secret: 32 random bytes, base64url (webhook secrets, HMAC key rings)
  ed25519     Ed25519 key pair as JWKs (private + public, same kid) and a JWKS with the public key
  api-key     API key (bst_<16 hex id>_<43 base62 secret><6 base62 CRC-32>) with the SHA-256 hash to store

Options:
  --count <n>  How many to print (1-100). Default 1.
  --kid <id>   Key id for ed25519 (default: the RFC 7638 thumbprint). Only with --count 1.
  --json       Print JSON (one document: an array when --count > 1).
  -h, --help   Show this help.

Private parts are printed once, to stdout: pipe them into your secret manager, not a file in git.
Rotation: see docs/audit.md (add the new key next to the old one, switch, then remove the old one).
`;

interface Options {
  kind: string;
  count: number;
  kid?: string;
  json: boolean;
}

// Formats match @bastion/nest `keys/key-generation.ts` (this package does not depend on it).
function hmacSecret(): { secret: string } {
  return { secret: randomBytes(32).toString('base64url') };
}

function ed25519(kid?: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const priv = privateKey.export({ format: 'jwk' }) as Record<string, string>;
  const thumbprint = createHash('sha256').update(JSON.stringify({ crv: pub.crv, kty: pub.kty, x: pub.x })).digest('base64url');
  const id = kid ?? thumbprint;
  const publicJwk = { kty: pub.kty!, crv: pub.crv!, x: pub.x!, kid: id, alg: 'EdDSA', use: 'sig' };
  return { kid: id, privateJwk: { ...publicJwk, d: priv.d! }, publicJwk, jwks: { keys: [publicJwk] } };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(value: bigint, width: number): string {
  let out = '';
  for (let n = value; n > 0n; n /= 62n) out = BASE62[Number(n % 62n)]! + out;
  return out.padStart(width, '0');
}

// The format @bastion/nest's verifier accepts (authentication/api-key/api-key-format.ts): the checksum is
// CRC-32 of `bst_<id>_<secret>` in 6 base62 digits, so secret scanners can validate a leaked key offline.
function apiKey() {
  const id = randomBytes(8).toString('hex');
  const body = `bst_${id}_${base62(BigInt(`0x${randomBytes(32).toString('hex')}`), 43)}`;
  const key = `${body}${base62(BigInt(crc32(body)), 6)}`;
  return { key, id, hash: `sha256:${createHash('sha256').update(key).digest('base64url')}` };
}

const GENERATORS: Record<string, (o: Options) => Record<string, unknown>> = {
  hmac: () => hmacSecret(),
  ed25519: (o) => ed25519(o.kid),
  'api-key': () => apiKey(),
};

function parse(argv: string[]): Options | { error: string } | 'help' {
  const o: Options = { kind: '', count: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--json') o.json = true;
    else if (arg === '--count' || arg === '--kid') {
      const value = argv[++i];
      if (value === undefined) return { error: `${arg} needs a value` };
      if (arg === '--kid') {
        if (!/^[A-Za-z0-9._:-]{1,128}$/.test(value)) return { error: '--kid must be 1-128 characters of A-Z a-z 0-9 . _ : -' };
        o.kid = value;
      } else {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1 || n > 100) return { error: '--count must be an integer from 1 to 100' };
        o.count = n;
      }
    } else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else if (!o.kind) o.kind = arg;
    else return { error: `unexpected argument ${arg}` };
  }
  if (!o.kind) return 'help';
  if (!GENERATORS[o.kind]) return { error: `unknown kind "${o.kind}" (hmac, ed25519, api-key)` };
  if (o.kid && (o.kind !== 'ed25519' || o.count !== 1)) return { error: '--kid applies to one ed25519 key' };
  return o;
}

function human(kind: string, item: Record<string, unknown>): string {
  switch (kind) {
    case 'hmac':
      return `HMAC secret (base64url, 32 bytes):\n${item.secret}\n`;
    case 'ed25519':
      return [
        `kid: ${item.kid}`,
        'Private JWK (keep secret; signer only):',
        JSON.stringify(item.privateJwk),
        'Public JWK (publish in your JWKS):',
        JSON.stringify(item.publicJwk),
        '',
      ].join('\n');
    default:
      return [`API key (give to the client once): ${item.key}`, `Key id: ${item.id}`, `Hash to store: ${item.hash}`, ''].join('\n');
  }
}

/**
 * `bastion keys`: prints new HMAC secrets, Ed25519 JWK pairs or API keys. Returns the exit code
 * (0 ok, 2 usage error).
 *
 * @example
 * ```sh
 * bastion keys hmac
 * bastion keys ed25519 --kid signing-2026-01 --json
 * bastion keys api-key --count 3
 * ```
 */
export async function runKeys(argv: string[], io: KeysIo): Promise<number> {
  const parsed = parse(argv);
  if (parsed === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    io.stderr(`bastion keys: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const items = Array.from({ length: parsed.count }, () => GENERATORS[parsed.kind]!(parsed));
  if (parsed.json) io.stdout(`${JSON.stringify(parsed.count === 1 ? items[0] : items, null, 2)}\n`);
  else io.stdout(items.map((item) => human(parsed.kind, item)).join('\n'));
  return 0;
}
