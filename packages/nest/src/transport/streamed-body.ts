import type { RawRequest } from './raw-http.js';

/**
 * Port: routes whose request body is not read by Bastion's transport but left on the request stream
 * for the handler (a proxy that streams it on), decided before routing and body parsing. A provider
 * under {@link STREAMED_BODY_ROUTES} is picked up by `configureBastion(app)`.
 *
 * `claim` answers `'stream'` (leave the body unread), `'reject'` (refuse the request with 400 before
 * any route matches) or `'none'` (Bastion's normal body handling).
 */
export interface StreamedBodyRoutes {
  claim(req: RawRequest): 'stream' | 'reject' | 'none';
}

/** Injection token of the optional {@link StreamedBodyRoutes} provider. */
export const STREAMED_BODY_ROUTES: unique symbol = Symbol('bastion.streamedBodyRoutes');

// A symbol on the raw request: nothing a client sends can set it.
const STREAMED = Symbol('bastion.streamedBody');

/** Marks a request whose body the transport left unread for its handler. */
export function markStreamedBody(req: RawRequest): void {
  (req as RawRequest & { [STREAMED]?: true })[STREAMED] = true;
}

/** True when the transport left this request's body unread (see {@link StreamedBodyRoutes}). */
export function isStreamedBody(req: object): boolean {
  return (req as { [STREAMED]?: true })[STREAMED] === true;
}
