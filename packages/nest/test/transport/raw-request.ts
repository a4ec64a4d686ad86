import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** TLS client settings of an `https:` request: the CA to trust and an optional client certificate (PEM). */
export interface RawTlsOptions {
  ca: string;
  cert?: string;
  key?: string;
}

/**
 * One HTTP request with exact bytes and headers (no fetch normalisation), for hostile inputs. An `https:`
 * URL needs `tls`; each request gets its own connection, so a client certificate is presented every time.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string | number | string[]>;
    body?: Buffer | string;
    chunks?: Array<Buffer | string>;
    localAddress?: string;
    tls?: RawTlsOptions;
  },
): Promise<RawResponse> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'POST',
        path: options.path ?? target.pathname + target.search,
        headers: options.headers,
        localAddress: options.localAddress,
        ...(options.tls ? { ...options.tls, agent: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

/** The same invariants as `problemInvariants`, for a raw response. */
export function rawProblemInvariants(res: RawResponse): string[] {
  const problems: string[] = [];
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) problems.push(`content-type ${res.headers['content-type']}`);
  if (/\bat [\w$.<>]+ \(|node_modules|\/src\/|\.ts:\d|\.js:\d/.test(res.body)) problems.push('stack or file path in body');
  if (/Unexpected token|JSON at position|Cannot (GET|POST)|SyntaxError|<html/i.test(res.body)) problems.push('library message in body');
  if (!res.headers['x-request-id']) problems.push('no X-Request-Id');
  return problems;
}
