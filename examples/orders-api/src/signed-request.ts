import type { JsonWebKey } from 'node:crypto';
import { RequestSigner } from '@bastion/nest';

/** What the worker holds: its API key and the private half of its signing key (a JWK, as JSON). */
export interface WorkerCredentials {
  apiKey: string;
  keyId: string;
  signingKey: string;
}

/** The worker's credentials from `ORDERS_WORKER_API_KEY`, `ORDERS_WORKER_KEY_ID` and `ORDERS_WORKER_SIGNING_KEY`. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): WorkerCredentials {
  const apiKey = env.ORDERS_WORKER_API_KEY;
  const keyId = env.ORDERS_WORKER_KEY_ID;
  const signingKey = env.ORDERS_WORKER_SIGNING_KEY;
  if (!apiKey || !keyId || !signingKey) throw new Error('set ORDERS_WORKER_API_KEY, ORDERS_WORKER_KEY_ID and ORDERS_WORKER_SIGNING_KEY (pnpm demo prints them)');
  return { apiKey, keyId, signingKey };
}

/**
 * A request as the worker sends it: `X-Api-Key` names the caller, and the request is signed (RFC 9421,
 * Ed25519, with Content-Digest for a body) with the signing key registered for that API key.
 */
export async function signedRequest(credentials: WorkerCredentials, method: string, url: string, body?: string): Promise<Request> {
  const signer = new RequestSigner({ keyid: credentials.keyId, alg: 'ed25519', key: JSON.parse(credentials.signingKey) as JsonWebKey });
  const headers: Record<string, string> = { 'x-api-key': credentials.apiKey };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return signer.signedRequest(url, { method, headers, body });
}

/** The same request as a `curl` command line (valid once: the nonce is remembered, and for five minutes). */
export async function asCurl(request: Request): Promise<string> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = ['curl', '-i', '-X', request.method, quote(request.url)];
  for (const [name, value] of request.headers) parts.push('-H', quote(`${name}: ${value}`));
  const body = request.body ? await request.text() : undefined;
  if (body !== undefined) parts.push('--data-raw', quote(body));
  return parts.join(' ');
}
