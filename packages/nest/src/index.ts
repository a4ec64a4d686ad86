export { BastionModule } from './bastion.module.js';
export { configureBastion } from './transport/configure-bastion.js';
export { SecurityHeaders } from './transport/security-headers.decorator.js';
export { API_SECURITY_HEADERS } from './transport/security-headers.js';
export type { CorsOptions, HttpsOptions, LimitsOptions, SecurityHeadersOptions, TimeoutsOptions, ValidationOptions } from './transport/transport-options.js';
export { StrictValidationPipe, strictValidationOptions } from './validation/strict-validation.pipe.js';
export { ValidatedHeaders } from './validation/validated-headers.decorator.js';
export { ValidatedQuery } from './validation/validated-query.decorator.js';
export type { FieldError } from './validation/validation-errors.js';
export type { BastionAsyncOptions } from './bastion.module.js';
export type { BastionOptions, NonHttpContext } from './options/bastion-options.interface.js';
export type { JwtIssuerOptions, JwtOptions, JwtAlgorithm, JwksCacheOptions, JwtClaimMapping, JsonWebKeySet, StaticKey } from './authentication/jwt/jwt-options.js';
export { JwtVerifier } from './authentication/jwt/jwt-verifier.js';
export type { JwtVerifierDeps } from './authentication/jwt/jwt-verifier.js';
export { JwtRejection, JWT_REJECTION_REASONS } from './authentication/jwt/jwt-errors.js';
export type { JwtRejectionReason } from './authentication/jwt/jwt-errors.js';
export { BastionJwtStrategy, BASTION_JWT_STRATEGY } from './authentication/jwt/jwt.strategy.js';
export { JwtAuthenticator } from './authentication/jwt/jwt.authenticator.js';
export { extractBearerToken, isBearerPresented } from './authentication/bearer-token.js';
export { DpopAuthenticator } from './authentication/dpop/dpop.authenticator.js';
export { Dpop } from './authentication/dpop/dpop.decorator.js';
export { DPOP_ALGORITHMS, DEFAULT_DPOP_ALGORITHMS } from './authentication/dpop/dpop-options.js';
export type { DpopAlgorithm, DpopMode, DpopNonceOptions, DpopOptions } from './authentication/dpop/dpop-options.js';
export { DPOP_REJECTION_REASONS } from './authentication/dpop/dpop-errors.js';
export type { DpopRejectionReason } from './authentication/dpop/dpop-errors.js';
export { MtlsAuthenticator } from './authentication/mtls/mtls.authenticator.js';
export type { ForwardedCertificateOptions, MtlsClientOptions, MtlsOptions } from './authentication/mtls/mtls-options.js';
export { SenderConstraintCheck } from './authentication/sender-constraint.check.js';
export { DpopSigner } from './oauth-client/dpop-signer.js';
export type { DpopFetchInit, DpopProofRequest } from './oauth-client/dpop-signer.js';
export { createPkcePair, pkceChallenge, verifyPkce } from './oauth-client/pkce.js';
export type { PkcePair } from './oauth-client/pkce.js';
export { BastionConfigError } from './options/assert.js';

export { Public } from './decorators/public.decorator.js';
export type { PublicOptions } from './decorators/public.decorator.js';
export { Authenticated } from './decorators/authenticated.decorator.js';
export { CurrentPrincipal } from './decorators/current-principal.decorator.js';
export type { Principal, CredentialType } from './core/principal.js';
export type { Authenticator } from './core/authenticator.js';
export { AUTHENTICATORS } from './core/authenticator.js';
export { BASTION_OPTIONS } from './core/constants.js';

export { AuthenticationGuard } from './authentication/authentication.guard.js';
export { ProblemDetailsFilter } from './http/problem-details.filter.js';
export {
  BastionException,
  InvalidRequestException,
  InvalidTokenException,
  UnauthenticatedException,
} from './errors/bastion.exception.js';
export type { BastionExceptionOptions, BearerChallenge } from './errors/bastion.exception.js';
export { ERROR_CODES } from './errors/error-codes.js';
export type { ErrorCode } from './errors/error-codes.js';
export type { ProblemDocument } from './errors/problem-details.js';

export { SecurityEvents } from './audit/security-events.service.js';
export type { SecurityEventListener } from './audit/security-events.service.js';
export type { SecurityEvent, SecurityEventType, PrincipalSummary } from './audit/security-event.js';
export { BASTION_STORE } from './stores/store.interface.js';
export type { BastionStore } from './stores/store.interface.js';
export { MemoryStore } from './stores/memory.store.js';
export type { MemoryStoreOptions } from './stores/memory.store.js';

export { TrustedProxies, DEFAULT_TRUSTED_PROXIES } from './net/trusted-proxies.js';
export { resolveClient } from './net/forwarded.js';
export type { ClientAddress, ConnectionFacts } from './net/forwarded.js';
export { clientAddressOf, trustedProxiesOf } from './net/client-address.js';
export type { StoreOptions } from './stores/store-options.js';
export type { BruteForceOptions, RateLimit, ThrottleOptions } from './throttling/throttle-options.js';

export { createRedactor, redactText } from './audit/redactor.js';
export type { RedactionOptions, Redactor } from './audit/redactor.js';
export { REDACTED, luhnValid } from './audit/redaction-patterns.js';
export { RedactingLogger, bastionLogger } from './audit/redacting-logger.js';
export { AUDIT_SINK, InjectAuditSink, JsonLinesAuditSink, LoggerAuditSink } from './audit/audit-sink.js';
export type { AuditSink, LineWriter } from './audit/audit-sink.js';
export { createAuditSink } from './audit/audit-options.js';
export type { AuditOptions } from './audit/audit-options.js';
export { AlertingService } from './alerts/alerting.service.js';
export { AlertDetector } from './alerts/alert-detector.js';
export { DEFAULT_ALERT_RULES } from './alerts/alert-rules.js';
export type { AlertRule, AlertDimension } from './alerts/alert-rules.js';
export type { AlertOptions } from './alerts/alert-options.js';
export { WebhookSender } from './alerts/webhook-sender.js';
export type { WebhookOptions } from './alerts/webhook-sender.js';
export { WEBHOOK_SIGNATURE_HEADER, verifyWebhookSignature, webhookSignatureHeader } from './alerts/webhook-signature.js';
export { RevocationService } from './revocation/revocation.service.js';
export type { RevocationOptions, TokenRulesOptions } from './revocation/revocation-options.js';
export { PRINCIPAL_CHECKS } from './revocation/principal-check.js';
export type { PrincipalCheck } from './revocation/principal-check.js';
export { HmacKeyRing, hmacSha256, MIN_HMAC_SECRET_BYTES } from './keys/hmac-key-ring.js';
export { generateHmacSecret, generateEd25519Jwk, generateApiKey, hashApiKey, parseApiKey, verifyApiKey } from './keys/key-generation.js';
export type { GeneratedApiKey, Ed25519KeyPair } from './keys/key-generation.js';

export { RequireScopes, RequireAnyScope } from './authorization/require-scopes.decorator.js';
export { Roles } from './authorization/roles.decorator.js';
export { UsePolicy } from './authorization/use-policy.decorator.js';
export { Boundary } from './authorization/boundary.decorator.js';
export type { Policy, PolicyContext, PolicyDenial, PolicyType } from './authorization/policy.js';
export { OwnershipPolicy } from './authorization/ownership.policy.js';
export type { OwnershipOptions } from './authorization/ownership.policy.js';
export { ClaimMatchPolicy } from './authorization/claim-match.policy.js';
export type { ClaimMatchOptions } from './authorization/claim-match.policy.js';
export type { BoundaryOptions } from './authorization/boundary-options.js';
export { AuthorizationGuard } from './authorization/authorization.guard.js';
export { RouteSecurityMap } from './authorization/route-security-map.service.js';
export type { RouteSecurity, RouteThrottle } from './authorization/route-security.js';
export { RouteSecurityError } from './authorization/route-security.error.js';
export { readRouteDecision } from './authorization/route-decision.js';
export type { RouteDecision } from './authorization/route-decision.js';
export { applyBastionSecurity, createBastionDocument } from './openapi/apply-bastion-security.js';
export type { OpenApiDocumentLike, BastionOpenApiOptions } from './openapi/apply-bastion-security.js';

export { BastionThrottlerGuard } from './throttling/bastion-throttler.guard.js';
export { AnonymousThrottlerGuard } from './throttling/anonymous-throttler.guard.js';
export { BastionThrottlerStorage } from './throttling/bastion-throttler.storage.js';
export { BruteForceGuard } from './throttling/brute-force.guard.js';
export { BruteForceService } from './throttling/brute-force.service.js';
export { BASTION_THROTTLER } from './throttling/throttler-config.js';
export { RedisStore, createRedisStore, failFastRedisOptions } from './stores/redis.store.js';
export type { RedisStoreOptions } from './stores/redis.store.js';
export { createStore } from './stores/store.factory.js';
export { clientIpOf } from './core/http-request.js';
