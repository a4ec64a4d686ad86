import { request } from 'node:http';

/** A response as the e2e suites need it, plus a WHATWG `Response` for `problemInvariants`. */
export interface LocalResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json<T = Record<string, unknown>>(): T;
  asResponse(): Response;
}

/**
 * GET `url` from a chosen local source address (127.0.0.2 and up are distinct untrusted peers on
 * Linux loopback), with a fresh connection each time so the peer address is always the one asked for.
 */
export function getFrom(url: string, options: { localAddress?: string; headers?: Record<string, string> } = {}): Promise<LocalResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', localAddress: options.localAddress, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({
          status: res.statusCode ?? 0,
          headers,
          body,
          json: () => JSON.parse(body),
          asResponse: () => new Response(body, { status: res.statusCode, headers }),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
