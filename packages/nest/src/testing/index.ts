export { TestIssuer } from './test-issuer.js';
export type { TestIssuerAlgorithm, TestIssuerStartOptions, TestSignOptions } from './test-issuer.js';
export { TestSigner } from './test-signer.js';
export type { TestSignerOptions } from './test-signer.js';
export { TestDpopClient } from './test-dpop-client.js';
export type { TestProofOptions } from './test-dpop-client.js';
export { TestCertificateAuthority } from './test-certificates.js';
export type { TestCertificate, TestCertificateOptions, TestCertificateUsage } from './test-certificates.js';
export type { TestIntrospection, TestOpaqueTokenOptions } from './test-introspection.js';
