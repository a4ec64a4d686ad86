import type { FactoryProvider, InjectionToken, OptionalFactoryDependency } from '@nestjs/common';
import { ClientCredentialsTokenProvider, type ClientCredentialsOptions } from './client-credentials.js';

/** Options of {@link clientCredentialsProvider}: static options, or a factory (from `ConfigService`…). */
export type ClientCredentialsProviderOptions =
  | (ClientCredentialsOptions & { provide?: InjectionToken })
  | {
      provide?: InjectionToken;
      useFactory: (...args: any[]) => ClientCredentialsOptions | Promise<ClientCredentialsOptions>;
      inject?: (InjectionToken | OptionalFactoryDependency)[];
    };

/**
 * A Nest provider of a {@link ClientCredentialsTokenProvider}, validated at boot. Provided under the
 * class itself by default, or under `provide` when an app calls several APIs with different clients.
 *
 * @example
 * ```ts
 * @Module({ providers: [clientCredentialsProvider({ tokenEndpoint, clientId: 'orders', clientSecret, scope: 'billing:write' })] })
 * // constructor(private readonly tokens: ClientCredentialsTokenProvider) {}
 *
 * clientCredentialsProvider({
 *   provide: 'BILLING_TOKENS',
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ issuer: config.getOrThrow('IDP'), clientId: 'orders', clientSecret: config.getOrThrow('SECRET') }),
 * })
 * ```
 */
export function clientCredentialsProvider(options: ClientCredentialsProviderOptions): FactoryProvider<ClientCredentialsTokenProvider> {
  const provide = options.provide ?? ClientCredentialsTokenProvider;
  const path = typeof provide === 'function' ? 'clientCredentials' : `clientCredentials(${String(provide)})`;
  if ('useFactory' in options) {
    return { provide, inject: options.inject ?? [], useFactory: async (...args: unknown[]) => new ClientCredentialsTokenProvider(await options.useFactory(...args), {}, path) };
  }
  const { provide: _provide, ...rest } = options;
  return { provide, useFactory: () => new ClientCredentialsTokenProvider(rest, {}, path) };
}
