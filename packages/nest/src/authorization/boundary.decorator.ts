import { SetMetadata } from '@nestjs/common';
import { BOUNDARY_KEY } from '../core/constants.js';

/**
 * Places a controller or route in a named trust boundary from the `boundaries` option; only the
 * credential types that boundary accepts can reach it (a valid user JWT on a route that accepts only a
 * service credential is refused with 403 `ERR_BOUNDARY_DENIED`). A method-level boundary overrides the class-level one. An
 * unknown name stops the app at boot, naming the handler.
 *
 * @example
 * ```ts
 * // BastionModule.forRoot({ …, authenticators: [ServiceKeyAuthenticator], boundaries: { internal: { accept: ['service-key'] } } })
 * @Boundary('internal')
 * @Authenticated()
 * @Post('reindex')
 * reindex() { … }
 * ```
 */
export const Boundary = (name: string): ClassDecorator & MethodDecorator => SetMetadata(BOUNDARY_KEY, name);
