import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { existingHttpContext } from '../contexts/http/http-context.js';

/**
 * Injects the authenticated {@link Principal} (undefined on a public route called anonymously).
 *
 * @example
 * ```ts
 * @Get('me')
 * @Authenticated()
 * me(@CurrentPrincipal() principal: Principal) { return { subject: principal.subject }; }
 * ```
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  context.getType() === 'http' ? existingHttpContext(context.switchToHttp().getRequest<object>())?.principal : undefined,
);
