import { request } from 'node:https';
import type { RawResponse } from '../transport/raw-request.js';

/** TLS client options of one request: the CA to trust, and an optional client certificate. */
export interface TlsClientOptions {
  ca: string;
  cert?: string;
  key?: string;
  method?: string;
  headers?: Record<string, string | string[]>;
}

/** One HTTPS request on its own connection (no session reuse), presenting `cert` when given. */
export function tlsRequest(url: string, options: TlsClientOptions): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method ?? 'GET', headers: options.headers, ca: options.ca, cert: options.cert, key: options.key, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
