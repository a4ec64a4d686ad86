import { SetMetadata } from '@nestjs/common';
import { AUTHENTICATED_KEY } from '../core/constants.js';

/**
 * States that any valid principal may call the route: the explicit form of "just logged in", so the
 * route's access decision is visible and strict mode accepts it.
 *
 * @example
 * ```ts
 * @Authenticated()
 * @Get('me')
 * me(@CurrentPrincipal() principal: Principal) { return { subject: principal.subject }; }
 * ```
 */
export const Authenticated = (): ClassDecorator & MethodDecorator => SetMetadata(AUTHENTICATED_KEY, true);
