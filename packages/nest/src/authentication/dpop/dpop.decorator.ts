import { SetMetadata } from '@nestjs/common';
import type { DpopMode } from './dpop-options.js';

/** Metadata key of {@link Dpop}. */
export const DPOP_MODE_KEY = 'bastion:dpop';

/**
 * Sets the DPoP mode (RFC 9449) of a controller or route, over its boundary's `dpop` and the global
 * `dpop.mode`: `'required'` refuses bearer tokens (401 with a `DPoP` challenge), `'disabled'` refuses
 * DPoP requests, `'allowed'` takes both. A method-level mode overrides the class-level one.
 *
 * @example
 * ```ts
 * @Dpop('required')
 * @RequireScopes('payments:write')
 * @Post('payments')
 * pay() { … }
 * ```
 */
export const Dpop = (mode: DpopMode): ClassDecorator & MethodDecorator => SetMetadata(DPOP_MODE_KEY, mode);
