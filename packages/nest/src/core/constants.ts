/** Injection token of the validated {@link BastionOptions}. */
export const BASTION_OPTIONS = Symbol('BASTION_OPTIONS');

// Stable string keys, not Reflector.createDecorator() uids: the ESM and CommonJS builds (and tools that
// read metadata) must agree on them even if two copies of the package are loaded.
export const PUBLIC_KEY = 'bastion:public';
export const AUTHENTICATED_KEY = 'bastion:authenticated';
export const SCOPES_KEY = 'bastion:scopes';
export const ANY_SCOPES_KEY = 'bastion:any-scopes';
export const ROLES_KEY = 'bastion:roles';
export const POLICIES_KEY = 'bastion:policies';
export const BOUNDARY_KEY = 'bastion:boundary';
/** Property on the request object where the authenticated principal is stored. */
export const PRINCIPAL_KEY = 'bastionPrincipal';
/** Property on the request object where the request id is stored. */
export const REQUEST_ID_KEY = 'bastionRequestId';
