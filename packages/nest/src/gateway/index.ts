export { BastionGatewayModule } from './gateway.module.js';
export { GatewayProxy } from './gateway.proxy.js';
export type { GatewayOptions, GatewayUpstream, GatewayMethod, GatewayRetryPolicy, GatewayBreakerOptions } from './gateway-options.js';
export { clientCredentialsUpstream } from './upstream-credential.js';
export type { UpstreamCredential, UpstreamRequest } from './upstream-credential.js';
export { CircuitBreaker } from './circuit-breaker.js';
export type { CircuitState } from './circuit-breaker.js';
export { isSafeGatewayPath } from './gateway-path.js';
