import type { IssuerConfig } from '../authentication/jwt/jwt-config.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';

/** Revocation and token-lifetime options with every default applied, read once per app. */
export interface RevocationSettings {
  /** `revocation.enabled`. */
  enabled: boolean;
  /** `tokens.maxLifetime`, seconds, or `false` (unlimited). */
  maxLifetime: number | false;
  requireJti: boolean;
  /** How long a subject/client cut-off must outlive the tokens it refuses, before tolerance, seconds. */
  cutoffLifetime: number;
  /**
   * Largest `clockTolerance` of any configured issuer, seconds: verification accepts a token whose `iat`
   * is up to this far in the future and whose `exp` is up to this far in the past.
   */
  issuerTolerance: number;
  /** Skew kept on top of lifetimes in retention times: the larger of `revocation.clockTolerance` and {@link issuerTolerance}, seconds. */
  retentionTolerance: number;
}

const DEFAULT_MAX_LIFETIME = 3_600;
const DEFAULT_RETENTION = 30 * 24 * 3_600;
const DEFAULT_REVOCATION_TOLERANCE = 60;

/** Resolves {@link RevocationSettings} from validated options and the trust list resolved from them. */
export function resolveRevocationSettings(options: BastionOptions, issuers: readonly IssuerConfig[]): RevocationSettings {
  const maxLifetime = options.tokens?.maxLifetime ?? DEFAULT_MAX_LIFETIME;
  const issuerTolerance = Math.max(0, ...issuers.map((issuer) => issuer.clockTolerance));
  return {
    enabled: options.revocation?.enabled !== false,
    maxLifetime,
    requireJti: options.tokens?.requireJti ?? false,
    cutoffLifetime: maxLifetime === false ? (options.revocation?.retention ?? DEFAULT_RETENTION) : maxLifetime,
    issuerTolerance,
    retentionTolerance: Math.max(options.revocation?.clockTolerance ?? DEFAULT_REVOCATION_TOLERANCE, issuerTolerance),
  };
}
