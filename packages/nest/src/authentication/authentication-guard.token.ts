/** Token of the authentication guard instance Bastion registers (the built-in or the `guards.authentication` subclass). */
export const AUTHENTICATION_GUARD = Symbol('BASTION_AUTHENTICATION_GUARD');
