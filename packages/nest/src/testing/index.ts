export { TestIssuer } from './test-issuer.js';
export type { TestIssuerAlgorithm, TestIssuerStartOptions, TestSignOptions } from './test-issuer.js';
export type { TestIntrospection, TestOpaqueTokenOptions } from './test-introspection.js';
