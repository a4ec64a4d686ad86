import { execFile } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { thumbprintOf } from '../authentication/mtls/certificate-chain.js';
import { certificateSubject, formatDistinguishedName } from '../authentication/mtls/distinguished-name.js';

const run = promisify(execFile);

/** What a test certificate is for (extended key usage). */
export type TestCertificateUsage = 'clientAuth' | 'serverAuth';

/** Subject and names of a test certificate. Values are limited to `[A-Za-z0-9 ._:@/+=*-]`. */
export interface TestCertificateOptions {
  /** Subject CN. Default `'test-client'`. */
  commonName?: string;
  /** Subject O. Default none. */
  organization?: string;
  /** SAN dNSNames. */
  dns?: string[];
  /** SAN URIs (e.g. `spiffe://acme.example/billing`). */
  uris?: string[];
  /** SAN rfc822Names. */
  emails?: string[];
  /** SAN iPAddresses. */
  ips?: string[];
  /** Extended key usages. Default `['clientAuth']`. */
  usage?: TestCertificateUsage[];
  /** Validity in days from now. Default 1. */
  days?: number;
}

/** A certificate and its key, PEM-encoded, with what the `mtls` options match on. */
export interface TestCertificate {
  readonly certificate: string;
  readonly privateKey: string;
  /** `x5t#S256`: base64url SHA-256 of the DER certificate (the `thumbprint` option, `cnf.x5t#S256`). */
  readonly thumbprint: string;
  /** RFC 4514 subject (the `tls_client_auth_subject_dn` option). */
  readonly subjectDn: string;
}

const SAFE = /^[A-Za-z0-9 ._:@/+=*-]+$/;

function safe(value: string, what: string): string {
  if (!SAFE.test(value)) throw new TypeError(`${what} may only hold [A-Za-z0-9 ._:@/+=*-]`);
  return value;
}

/** An OpenSSL config for one certificate: subject, then the `ext` section (CA or leaf). */
function config(options: TestCertificateOptions, ca: boolean): string {
  const lines = ['[req]', 'prompt = no', 'distinguished_name = dn', 'utf8 = yes', '[dn]'];
  if (options.organization) lines.push(`O = ${safe(options.organization, 'organization')}`);
  lines.push(`CN = ${safe(options.commonName ?? 'test-client', 'commonName')}`, '[ext]');
  if (ca) {
    lines.push('basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign', 'subjectKeyIdentifier = hash');
    return lines.join('\n') + '\n';
  }
  lines.push('basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature', `extendedKeyUsage = ${(options.usage ?? ['clientAuth']).join(',')}`);
  const alt = [
    ...(options.dns ?? []).map((v, i) => `DNS.${i + 1} = ${safe(v, 'dns')}`),
    ...(options.uris ?? []).map((v, i) => `URI.${i + 1} = ${safe(v, 'uris')}`),
    ...(options.emails ?? []).map((v, i) => `email.${i + 1} = ${safe(v, 'emails')}`),
    ...(options.ips ?? []).map((v, i) => `IP.${i + 1} = ${safe(v, 'ips')}`),
  ];
  if (alt.length > 0) lines.push('subjectAltName = @alt', '[alt]', ...alt);
  return lines.join('\n') + '\n';
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new Error('TestCertificateAuthority needs the openssl binary on PATH (node:crypto cannot create X.509 certificates)', { cause: error });
    throw error;
  }
}

async function described(dir: string, name: string): Promise<TestCertificate> {
  const certificate = await readFile(join(dir, `${name}.pem`), 'utf8');
  const x509 = new X509Certificate(certificate);
  return {
    certificate,
    privateKey: await readFile(join(dir, `${name}.key`), 'utf8'),
    thumbprint: thumbprintOf(x509),
    subjectDn: formatDistinguishedName(certificateSubject(x509.subject) ?? []),
  };
}

const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/**
 * A certificate authority for tests, made at test time with the `openssl` binary (node:crypto cannot
 * create X.509 certificates): P-256 keys, certificates valid for a day, files in a temporary directory
 * removed by `close()`. It issues client certificates for `mtls` tests and the server certificate of an
 * HTTPS test app.
 *
 * @example
 * ```ts
 * const ca = await TestCertificateAuthority.create();
 * const server = await ca.issue({ commonName: '127.0.0.1', ips: ['127.0.0.1'], usage: ['serverAuth'] });
 * const client = await ca.issue({ commonName: 'billing-worker', dns: ['billing.internal'] });
 * // httpsOptions: { key: server.privateKey, cert: server.certificate, ca: ca.certificate, requestCert: true, rejectUnauthorized: false }
 * // mtls: { ca: ca.certificate, clients: [{ clientId: 'billing-worker', tls_client_auth_san_dns: 'billing.internal' }] }
 * await ca.close();
 * ```
 */
export class TestCertificateAuthority {
  private issued = { count: 0 };

  private constructor(
    private readonly dir: string,
    /** The CA certificate (PEM): `mtls.ca`, and `ca` of the HTTPS server and of clients. */
    readonly certificate: string,
    /** File name (without extension) of the CA's certificate and key in `dir`. */
    private readonly name = 'ca',
    /** For an intermediate CA: the certificates between it and the root, itself first (PEM). */
    readonly chain: readonly string[] = [],
    private readonly root = true,
  ) {}

  /** Creates the CA (CN `commonName`, default `Bastion Test CA`). Throws when openssl is not installed. */
  static async create(options: { commonName?: string } = {}): Promise<TestCertificateAuthority> {
    const dir = await mkdtemp(join(tmpdir(), 'bastion-ca-'));
    await writeFile(join(dir, 'ca.cnf'), config({ commonName: options.commonName ?? 'Bastion Test CA' }, true));
    await openssl(dir, ['req', '-x509', ...NEW_KEY, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-config', 'ca.cnf', '-extensions', 'ext']);
    return new TestCertificateAuthority(dir, await readFile(join(dir, 'ca.pem'), 'utf8'));
  }

  /** A self-signed client certificate, issued by no CA (for thumbprint pinning, RFC 8705 §2.2). */
  static async selfSigned(options: TestCertificateOptions = {}): Promise<TestCertificate> {
    const dir = await mkdtemp(join(tmpdir(), 'bastion-cert-'));
    try {
      await writeFile(join(dir, 'leaf.cnf'), config(options, false));
      await openssl(dir, ['req', '-x509', ...NEW_KEY, '-keyout', 'leaf.key', '-out', 'leaf.pem', '-days', String(options.days ?? 1), '-config', 'leaf.cnf', '-extensions', 'ext']);
      return await described(dir, 'leaf');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** A certificate signed by this CA (a client certificate unless `usage` says otherwise). */
  async issue(options: TestCertificateOptions = {}): Promise<TestCertificate> {
    return described(this.dir, await this.sign(options, false));
  }

  /**
   * An intermediate CA signed by this one. Its certificates chain to this CA through it: a client sends
   * `certificate + chain` (PEM concatenated), a proxy forwards the chain in `Client-Cert-Chain`.
   */
  async intermediate(options: { commonName?: string } = {}): Promise<TestCertificateAuthority> {
    const name = await this.sign({ commonName: options.commonName ?? 'Bastion Test Intermediate CA', days: 2 }, true);
    const certificate = await readFile(join(this.dir, `${name}.pem`), 'utf8');
    const child = new TestCertificateAuthority(this.dir, certificate, name, [certificate, ...this.chain], false);
    child.issued = this.issued;
    return child;
  }

  /** Removes the CA's files (those of its intermediates too); does nothing on an intermediate. */
  async close(): Promise<void> {
    if (this.root) await rm(this.dir, { recursive: true, force: true });
  }

  private async sign(options: TestCertificateOptions, ca: boolean): Promise<string> {
    const name = `${ca ? 'int' : 'leaf'}-${++this.issued.count}`;
    await writeFile(join(this.dir, `${name}.cnf`), config(options, ca));
    await openssl(this.dir, ['req', '-new', ...NEW_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-config', `${name}.cnf`]);
    await openssl(this.dir, [
      'x509', '-req', '-in', `${name}.csr`, '-CA', `${this.name}.pem`, '-CAkey', `${this.name}.key`, '-set_serial', `0x${randomBytes(8).toString('hex')}`,
      '-out', `${name}.pem`, '-days', String(options.days ?? 1), '-extfile', `${name}.cnf`, '-extensions', 'ext',
    ]);
    return name;
  }
}
