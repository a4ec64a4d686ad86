import type { BastionConfig } from '../core/bastion-config.js';
import { BastionException } from '../errors/bastion.exception.js';

/**
 * The guards' answer for an execution context that is not HTTP (microservice, WebSocket): let it through
 * only when `allowContexts` names it; otherwise fail closed, since Bastion cannot check it.
 */
export function nonHttpContextAllowed(type: string, config: Pick<BastionConfig, 'allowContexts'>): true {
  if ((config.allowContexts as readonly string[]).includes(type)) return true;
  throw new BastionException('ERR_CONTEXT_UNSUPPORTED', { reason: `context ${type} not allowed` });
}
