import type { InjectionToken, OptionalFactoryDependency, Provider } from '@nestjs/common';
import { RequestSigner, type RequestSignerOptions } from './request-signer.js';

/** Factory form of {@link provideRequestSigner} (keys from `ConfigService`, a secret manager…). */
export interface RequestSignerFactory {
  /** Providers passed to `useFactory`. */
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Returns the signer's options (may be async). */
  useFactory: (...args: any[]) => RequestSignerOptions | Promise<RequestSignerOptions>;
}

/**
 * A Nest provider of {@link RequestSigner} (injectable by its class), for services that call other APIs
 * with signed requests. Keys are checked when the provider is created: a bad key stops boot.
 *
 * @example
 * ```ts
 * @Module({ providers: [provideRequestSigner({ inject: [ConfigService], useFactory: (c: ConfigService) => ({
 *   keyid: c.getOrThrow('SIGNING_KEY_ID'), alg: 'ed25519', key: c.getOrThrow('SIGNING_KEY_PEM') }) })] })
 * class BillingModule {}
 * // then: constructor(private readonly signer: RequestSigner) {} … await this.signer.fetch(url, { method: 'POST', body })
 * ```
 */
export function provideRequestSigner(options: RequestSignerOptions | RequestSignerFactory): Provider {
  if ('useFactory' in options) {
    return { provide: RequestSigner, useFactory: async (...args: unknown[]) => new RequestSigner(await options.useFactory(...args)), inject: options.inject ?? [] };
  }
  return { provide: RequestSigner, useFactory: () => new RequestSigner(options) };
}
