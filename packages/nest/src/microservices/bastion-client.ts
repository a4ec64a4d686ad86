import { from, switchMap, type Observable } from 'rxjs';
import { envelope } from '../contexts/rpc/rpc-envelope.js';

/** The two methods of a Nest `ClientProxy` the wrapper uses. */
export interface ClientProxyLike {
  send<R = unknown, I = unknown>(pattern: unknown, data: I): Observable<R>;
  emit<R = unknown, I = unknown>(pattern: unknown, data: I): Observable<R>;
}

/** A `ClientProxy` whose messages carry a credential (see {@link bastionClient}). */
export interface BastionClient {
  send<R = unknown, I = unknown>(pattern: unknown, data: I): Observable<R>;
  emit<R = unknown, I = unknown>(pattern: unknown, data: I): Observable<R>;
}

/**
 * Wraps a microservice `ClientProxy` so every message carries a credential in Bastion's envelope
 * (`{ bastion: { authorization: 'Bearer <token>' }, payload }`): the receiving service's guards verify
 * it like an HTTP request's, and its handlers receive only `payload`. `credential` is asked for each
 * message (return a cached token, e.g. from a client-credentials provider); a bare token gets the
 * `Bearer` scheme.
 *
 * @example
 * ```ts
 * const orders = bastionClient(this.client, () => this.tokens.token());
 * return firstValueFrom(orders.send('orders.find', { id }));
 * ```
 */
export function bastionClient(client: ClientProxyLike, credential: () => string | Promise<string>): BastionClient {
  const wrap = <I>(data: I) =>
    from(Promise.resolve(credential())).pipe(
      switchMap(async (token) => {
        if (typeof token !== 'string' || token === '') throw new TypeError('bastionClient: the credential function must return a non-empty token');
        return envelope(data, /^bearer /i.test(token) ? token : `Bearer ${token}`);
      }),
    );
  return {
    send: <R, I>(pattern: unknown, data: I) => wrap(data).pipe(switchMap((message) => client.send<R>(pattern, message))),
    emit: <R, I>(pattern: unknown, data: I) => wrap(data).pipe(switchMap((message) => client.emit<R>(pattern, message))),
  };
}
