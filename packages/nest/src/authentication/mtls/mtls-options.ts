/**
 * One client known by its certificate (RFC 8705 §2). Exactly one way of recognising it: a pinned
 * thumbprint (any certificate, self-signed included, RFC 8705 §2.2), or — for a certificate whose chain
 * was verified — its subject DN or one subject alternative name, under their RFC 8705 §2.1.2 metadata names.
 *
 * @example
 * ```ts
 * { clientId: 'billing-worker', tls_client_auth_san_uri: 'spiffe://acme.example/billing', scopes: ['invoices:write'] }
 * { clientId: 'legacy-batch', tls_client_auth_subject_dn: 'CN=legacy-batch,O=Acme,C=US' }
 * { clientId: 'partner', thumbprint: 'sEP7dQ0R1cu6oFtoOBPcmPoDa2Qp9PnB3bh4xgdWcuc' }
 * ```
 */
export interface MtlsClientOptions {
  /** The client's id: the principal's `clientId` and `subject`. Unique. */
  clientId: string;
  /** Scopes the principal holds. Default none. */
  scopes?: string[];
  /** Roles the principal holds. Default none. */
  roles?: string[];
  /** `x5t#S256` of the certificate (base64url SHA-256 of its DER; hex with or without colons also accepted). */
  thumbprint?: string;
  /** RFC 4514 subject DN, most specific RDN first (`CN=svc,O=Acme,C=US`); compared RDN by RDN, values exactly. */
  tls_client_auth_subject_dn?: string;
  /** A `dNSName` SAN (compared case-insensitively). */
  tls_client_auth_san_dns?: string;
  /** A `uniformResourceIdentifier` SAN (compared exactly), e.g. a SPIFFE id. */
  tls_client_auth_san_uri?: string;
  /** An `iPAddress` SAN. */
  tls_client_auth_san_ip?: string;
  /** An `rfc822Name` SAN (domain compared case-insensitively). */
  tls_client_auth_san_email?: string;
}

/**
 * The client certificate as a TLS-terminating proxy forwards it. Only requests whose TCP peer is one of
 * `trustedProxies` are read; from any other peer the header is ignored (and an audit event says so).
 * Your proxy must overwrite or remove the header on every request it forwards.
 */
export interface ForwardedCertificateOptions {
  /**
   * `'rfc9440'`: `Client-Cert` as a structured-field byte sequence (`:<base64 DER>:`) with optional
   * `Client-Cert-Chain`; `'pem'`: URL-encoded PEM, as nginx sends `$ssl_client_escaped_cert`. Default `'rfc9440'`.
   */
  format?: 'rfc9440' | 'pem';
  /** Header name. Default `Client-Cert` (RFC 9440); the chain, for `rfc9440`, is in `<header>-Chain`. */
  header?: string;
  /** Peers allowed to send the header: addresses, CIDR ranges or range names. Default: `trustedProxies`. */
  trustedProxies?: string[];
}

/**
 * Mutual TLS (RFC 8705): the client certificate of the connection (or the one a trusted proxy forwards)
 * authenticates configured clients (credential `mtls`), and binds tokens carrying `cnf.x5t#S256`.
 *
 * @example
 * ```ts
 * mtls: {
 *   ca: readFileSync('clients-ca.pem', 'utf8'),
 *   clients: [{ clientId: 'billing-worker', tls_client_auth_san_dns: 'billing.internal', scopes: ['invoices:write'] }],
 * }
 * ```
 */
export interface MtlsOptions {
  /**
   * PEM CA certificate(s) that client certificates must chain to. Required with `forwarded`. Without it, a
   * certificate the TLS server verified (`httpsOptions.ca`, `socket.authorized`) is accepted.
   */
  ca?: string | string[];
  /** The known clients. Non-empty. */
  clients: MtlsClientOptions[];
  /** Read the certificate from a header set by a TLS-terminating proxy. Default: off. */
  forwarded?: ForwardedCertificateOptions;
}
