import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { existingContextOf } from '../contexts/context-of.js';

/**
 * Injects the authenticated {@link Principal} (undefined on a public route called anonymously), on an
 * HTTP route, a resolver, a gateway message handler or a microservice message handler alike.
 *
 * @example
 * ```ts
 * @Get('me')
 * @Authenticated()
 * me(@CurrentPrincipal() principal: Principal) { return { subject: principal.subject }; }
 * ```
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext) => existingContextOf(context)?.principal);
