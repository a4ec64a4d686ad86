// Stable string keys, not Reflector.createDecorator() uids: the ESM and CommonJS builds (and tools that
// read metadata) must agree on them even if two copies of the package are loaded.
export const PUBLIC_KEY = 'bastion:public';
export const AUTHENTICATED_KEY = 'bastion:authenticated';
export const SCOPES_KEY = 'bastion:scopes';
export const ANY_SCOPES_KEY = 'bastion:any-scopes';
export const ROLES_KEY = 'bastion:roles';
export const POLICIES_KEY = 'bastion:policies';
export const BOUNDARY_KEY = 'bastion:boundary';
