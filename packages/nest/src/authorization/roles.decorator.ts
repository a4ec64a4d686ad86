import { ROLES_KEY } from '../core/constants.js';
import { appendMetadata } from './append-metadata.js';

/**
 * Requires one of the listed roles (`Principal.roles`, mapped from the issuer's role claims). Each use
 * is its own requirement: `@Roles('staff')` on the class and `@Roles('admin', 'auditor')` on a method
 * need `staff` and (`admin` or `auditor`). A caller without them gets 403 `ERR_ROLE_MISSING`.
 *
 * @example
 * ```ts
 * @Roles('admin')
 * @Delete(':id')
 * remove(@Param('id') id: string) { … }
 * ```
 */
export const Roles = (role: string, ...more: string[]): ClassDecorator & MethodDecorator => appendMetadata(ROLES_KEY, [role, ...more]);
