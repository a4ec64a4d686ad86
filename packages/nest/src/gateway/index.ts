export { BastionGatewayModule } from './gateway.module.js';
export type { GatewayOptions, GatewayUpstream, GatewayMethod, GatewayRetryPolicy, GatewayBreakerOptions, GatewayAsyncOptions, GatewayAsyncSettings, GatewayRoute, GatewayRouteKey } from './gateway-options.js';
export { clientCredentialsUpstream } from './upstream-credential.js';
export { signatureUpstream, type SignatureUpstreamOptions } from './signature-upstream.js';
export type { AccessTokenSource, UpstreamCredential, UpstreamRequest } from './upstream-credential.js';
export { isSafeGatewayPath } from './gateway-path.js';
