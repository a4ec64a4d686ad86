import { credentialNamedAt, type BoundaryConfig } from '../authorization/boundaries.js';
import type { CredentialType } from '../core/principal.js';
import { BastionConfigError } from '../options/assert.js';

/**
 * Credential types are real or refused: a boundary that names `credential` while its option is not set
 * stops boot, naming the boundary entry and the missing option.
 */
export function refuseUnconfigured(config: BoundaryConfig, credential: CredentialType, configured: boolean, option: string): void {
  if (configured) return;
  const at = credentialNamedAt(config, credential);
  if (at) throw new BastionConfigError(at, `names credential "${credential}", which is not configured (set the "${option}" option)`);
}
