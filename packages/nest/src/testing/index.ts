export { TestIssuer } from './test-issuer.js';
export type { TestIssuerAlgorithm, TestIssuerStartOptions, TestSignOptions } from './test-issuer.js';
export { TestSigner } from './test-signer.js';
export type { TestSignerOptions } from './test-signer.js';
export type { TestIntrospection, TestOpaqueTokenOptions } from './test-introspection.js';
