import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request an {@link Upstream} received. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * A plain Node HTTP server on 127.0.0.1 playing an upstream service behind the gateway: it records
 * every request and answers by path (echo, slow, oversized, failing, streamed upload/download, held).
 */
export class Upstream {
  readonly seen: SeenRequest[] = [];
  readonly held: ServerResponse[] = [];
  flakyResets = 0;
  private server!: Server;
  url = '';

  static async start(): Promise<Upstream> {
    const upstream = new Upstream();
    upstream.server = createServer((req, res) => upstream.handle(req, res));
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    upstream.url = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
    return upstream;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://upstream');
    const path = url.pathname.replace(/^\/api/, '');
    if (path === '/upload') {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => json(res, 200, { bytes }));
      return;
    }
    if (path === '/download') {
      streamBytes(res, Number(url.searchParams.get('bytes')), true);
      return;
    }
    if (path === '/unbounded') {
      streamBytes(res, Number(url.searchParams.get('bytes')), false);
      return;
    }
    if (path === '/slow') return; // never answers
    if (path === '/hold') {
      this.held.push(res);
      return;
    }
    if (path === '/flaky' && this.flakyResets > 0) {
      this.flakyResets -= 1;
      req.socket.destroy();
      return;
    }
    if (path === '/fail') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('SQLSTATE 28P01 password authentication failed for user "orders" at db.internal:5432');
      return;
    }
    if (path === '/headers') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'set-cookie': 'upstream-session=abc; HttpOnly',
        server: 'upstream/1.0',
        'x-powered-by': 'upstream-framework',
        connection: 'x-upstream-hop',
        'x-upstream-hop': '1',
        'x-frame-options': 'ALLOWALL',
        'x-ok': 'yes',
      });
      res.end('{"ok":true}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => json(res, 200, { method: req.method, url: req.url, body: Buffer.concat(chunks).toString('utf8') }));
  }

  /** Answers every held request with 200. */
  releaseHeld(): void {
    for (const res of this.held.splice(0)) json(res, 200, { released: true });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** Writes `total` bytes in 64 KiB chunks, respecting back-pressure; with or without a Content-Length. */
function streamBytes(res: ServerResponse, total: number, declared: boolean): void {
  res.writeHead(200, declared ? { 'content-type': 'application/octet-stream', 'content-length': total } : { 'content-type': 'application/octet-stream' });
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let left = total;
  const write = (): void => {
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once('drain', write);
        return;
      }
    }
    res.end();
  };
  write();
}

/** A response as a raw HTTP client saw it. */
export interface RawResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends a request with node:http exactly as given — the path is not normalised (fetch would resolve
 * `..` and re-encode) and hop-by-hop headers can be set.
 */
export function rawRequest(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResult> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
