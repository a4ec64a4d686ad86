import type { RawRequest, RawResponse } from './raw-http.js';
import { writeRawProblem } from './raw-problem.js';

/**
 * Cuts off a request whose headers and body have not fully arrived within `ms` (slowloris, RFC 9110
 * §15.5.9: 408). Node's own `requestTimeout` is only checked every `connectionsCheckingInterval`
 * (30 s) and Fastify sets none, so the deadline is kept here per request. A request that arrived in
 * full is never cut, however long its handler runs.
 */
export function armRequestDeadline(req: RawRequest, res: RawResponse, ms: number, headers: ReadonlyArray<[string, string]>, requestId: string): void {
  const timer = setTimeout(() => {
    if (req.complete) return;
    if (!res.headersSent) writeRawProblem(res, 'ERR_REQUEST_TIMEOUT', headers, requestId);
    // The rest of the body is never read: drop the connection once the answer is out.
    const destroy = () => req.socket?.destroy();
    if (res.writableFinished) destroy();
    else {
      res.once('finish', destroy);
      setTimeout(destroy, 1000).unref();
    }
  }, ms);
  timer.unref();
  const clear = () => clearTimeout(timer);
  res.once('finish', clear);
  res.once('close', clear);
}
