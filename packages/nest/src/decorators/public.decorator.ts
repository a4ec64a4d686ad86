import { SetMetadata } from '@nestjs/common';
import { PUBLIC_KEY } from '../core/constants.js';

export interface PublicOptions {
  /**
   * Marks a route that was public before Bastion was adopted and has not been reviewed yet. It is
   * still public; `bastion audit` lists it and `bastion retrofit` replaces it with real scopes.
   */
  baseline?: boolean;
  /**
   * The route checks a credential of its own in `Authorization` (a refresh token verified by the app's
   * `jwt-refresh` strategy, a partner's key): Bastion leaves that header to the app's guard instead of
   * verifying it as an access token and refusing it. The route stays public to Bastion, so no principal
   * is set. Default `false`.
   *
   * @example
   * ```ts
   * @Public({ ownCredential: true })
   * @UseGuards(AuthGuard('jwt-refresh'))
   * @Post('auth/refresh')
   * refresh(@Req() req) { return this.auth.refresh(req.user); }
   * ```
   */
  ownCredential?: boolean;
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
  SetMetadata(PUBLIC_KEY, { baseline: options.baseline === true, ownCredential: options.ownCredential === true });
