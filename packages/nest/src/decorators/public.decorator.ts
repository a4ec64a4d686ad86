import { SetMetadata } from '@nestjs/common';
import { PUBLIC_KEY } from '../core/constants.js';

export interface PublicOptions {
  /**
   * Marks a route that was public before Bastion was adopted and has not been reviewed yet. It is
   * still public; `bastion audit` lists it and `bastion retrofit` replaces it with real scopes.
   */
  baseline?: boolean;
}

/**
 * Opts a route (method) or every route of a controller (class) out of authentication. The only
 * opt-out: everything else is denied to anonymous callers.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() { return { ok: true }; }
 * ```
 */
export const Public = (options: PublicOptions = {}): ClassDecorator & MethodDecorator =>
  SetMetadata(PUBLIC_KEY, { baseline: options.baseline === true });
