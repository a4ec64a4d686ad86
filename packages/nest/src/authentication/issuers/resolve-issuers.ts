import { BastionConfigError } from '../../options/assert.js';
import { resolveIntrospection } from '../introspection/introspection-config.js';
import { assertTrustList, resolveJwtOptions, validateIssuer, type IssuerConfig } from '../jwt/jwt-config.js';
import type { JwtOptions } from '../jwt/jwt-options.js';
import type { IssuerOptions } from './issuer-options.js';

/** The options that define the trust list: the older `jwt` form or `issuers`, never both. */
export interface TrustListOptions {
  jwt?: JwtOptions;
  issuers?: IssuerOptions[];
}

/** Two prefixes where one starts with the other would let a token select either issuer. */
function assertPrefixes(configs: readonly IssuerConfig[]): void {
  const owners: { prefix: string; path: string }[] = [];
  for (const c of configs) {
    for (const prefix of c.introspection?.prefixes ?? []) {
      const clash = owners.find((o) => o.prefix.startsWith(prefix) || prefix.startsWith(o.prefix));
      if (clash) throw new BastionConfigError(`${c.path}.introspection.tokenPrefix`, `overlaps "${clash.prefix}" of ${clash.path}; a token must select one issuer`);
      owners.push({ prefix, path: c.path });
    }
  }
}

/**
 * Validates the trust list at boot and applies defaults. `jwt` (one issuer or several, JWTs only) keeps
 * working; `issuers` adds introspection. Throws `BastionConfigError` naming the first bad option.
 */
export function resolveIssuers(options: TrustListOptions, now = Date.now()): IssuerConfig[] {
  if (options.issuers === undefined) return resolveJwtOptions(options.jwt);
  if (options.jwt !== undefined) throw new BastionConfigError('issuers', 'cannot be combined with "jwt"; list every issuer under "issuers"');
  if (!Array.isArray(options.issuers) || options.issuers.length === 0) throw new BastionConfigError('issuers', 'must be a non-empty array of issuers');
  const configs = options.issuers.map((entry, i) => {
    const path = `issuers[${i}]`;
    const introspection = (entry as IssuerOptions | undefined)?.introspection;
    return validateIssuer(entry, path, {
      now,
      introspection: introspection === undefined ? undefined : (issuer) => resolveIntrospection(introspection, `${path}.introspection`, issuer),
    });
  });
  assertTrustList(configs);
  assertPrefixes(configs);
  return configs;
}
