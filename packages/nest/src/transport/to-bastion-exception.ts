import { BastionException } from '../errors/bastion.exception.js';
import { InputRejected } from './input-rejected.js';

/** Framework-free rejections become Bastion exceptions (reason kept for the audit log); others pass. */
export function toBastionException(error: unknown): unknown {
  return error instanceof InputRejected ? new BastionException(error.code, { reason: error.reason, cause: error }) : error;
}
