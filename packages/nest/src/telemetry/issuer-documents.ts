import type { IntrospectionVerifier } from '../authentication/introspection/introspection-verifier.js';
import type { JwtVerifier } from '../authentication/jwt/jwt-verifier.js';
import type { FetchStatus } from '../oauth-client/fetch-history.js';

/** One remote document of an issuer, with its fetch history. */
export interface IssuerDocument {
  issuer: string;
  document: 'jwks' | 'discovery';
  status: FetchStatus;
}

/**
 * Every remote document Bastion fetches per issuer — its JWKS and its discovery document (shared by
 * the key set and introspection, so listed once) — for gauges.
 */
export function issuerDocuments(jwt: JwtVerifier | undefined, introspection: IntrospectionVerifier | undefined): IssuerDocument[] {
  const documents: IssuerDocument[] = [];
  const discovery = new Map<string, FetchStatus>();
  for (const [issuer, keys] of jwt?.keySets() ?? []) {
    const status = keys.status();
    if (status.fetch) documents.push({ issuer, document: 'jwks', status: status.fetch });
    if (status.discovery) discovery.set(issuer, status.discovery);
  }
  for (const client of introspection?.endpoints() ?? []) {
    if (client.discovery && !discovery.has(client.config.issuer)) discovery.set(client.config.issuer, client.discovery.status());
  }
  for (const [issuer, status] of discovery) documents.push({ issuer, document: 'discovery', status });
  return documents;
}
