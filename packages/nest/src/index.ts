/**
 * `@bastion/nest`: the public API. Everything an app or a test needs is exported here by name; anything
 * not listed is internal and may change in any release.
 */

// Module and adapter hardening
export { BastionModule } from './bastion.module.js';
export type { BastionAsyncOptions } from './bastion.module.js';
export { configureBastion } from './transport/configure-bastion.js';
export type { TransportOverrides } from './transport/configure-bastion.js';
export { BASTION_CONFIG, InjectBastionConfig } from './core/bastion-config.js';
export type { BastionConfig, AuthenticatorEntry, ResolvedGuards } from './core/bastion-config.js';

// Options
export type { BastionOptions } from './options/bastion-options.interface.js';
export type { GuardsOptions } from './options/guards-options.js';
export { BastionConfigError } from './options/assert.js';
export type { CorsOptions, HttpsOptions, LimitsOptions, SecurityHeadersOptions, TimeoutsOptions, ValidationOptions } from './transport/transport-options.js';
export type { JwtIssuerOptions, JwtOptions, JwtAlgorithm, JwksCacheOptions, JwtClaimMapping, JsonWebKeySet, LegacyWindowOptions, StaticKey } from './authentication/jwt/jwt-options.js';
export type { IssuerOptions } from './authentication/issuers/issuer-options.js';
export type { IntrospectionOptions, IntrospectionCacheOptions } from './authentication/introspection/introspection-options.js';
export { DPOP_ALGORITHMS, DEFAULT_DPOP_ALGORITHMS } from './authentication/dpop/dpop-options.js';
export type { DpopAlgorithm, DpopMode, DpopNonceOptions, DpopOptions } from './authentication/dpop/dpop-options.js';
export type { ForwardedCertificateOptions, MtlsClientOptions, MtlsOptions } from './authentication/mtls/mtls-options.js';
export type { ClientAuthOptions, ClientAuthMethod } from './oauth-client/client-auth.js';
export type { BruteForceOptions, PrincipalKey, RateLimit, ThrottleOptions } from './throttling/throttle-options.js';
export type { RedisConnectionOptions, StoreOptions } from './stores/store-options.js';
export type { RedisClient, RedisNode } from './stores/redis-client.js';
export type { EvictionCheck } from './stores/redis-eviction-check.js';
export type { AuditOptions } from './audit/audit-options.js';
export type { AlertOptions } from './alerts/alert-options.js';
export type { WebhookOptions } from './alerts/webhook-sender.js';
export type { RevocationOptions, TokenRulesOptions } from './revocation/revocation-options.js';
export type { BoundaryOptions } from './authorization/boundary-options.js';
export type { CredentialWay } from './authentication/credential-combinations.js';
export type { SignatureOptions } from './authentication/signature/signature-options.js';
export { DEFAULT_REQUIRED_COMPONENTS } from './authentication/signature/signature-options.js';
export type { SignatureKeyOptions, SignatureKeySource, SignatureKey } from './authentication/signature/signature-keys.js';
export { SIGNATURE_ALGORITHMS } from './authentication/signature/algorithms.js';
export type { SignatureAlgorithm, SignatureKeyMaterial } from './authentication/signature/algorithms.js';
export type { ApiKeyOptions, ApiKeySeed } from './authentication/api-key/api-key-options.js';
export type { RedactionOptions, Redactor } from './audit/redactor.js';
export type { MeterProviderLike, TelemetryOptions, TracerProviderLike } from './telemetry/telemetry-options.js';

// Access decisions
export { Public } from './decorators/public.decorator.js';
export type { PublicOptions } from './decorators/public.decorator.js';
export { Authenticated } from './decorators/authenticated.decorator.js';
export { CurrentPrincipal } from './decorators/current-principal.decorator.js';
export { RequireScopes, RequireAnyScope } from './authorization/require-scopes.decorator.js';
export { Roles } from './authorization/roles.decorator.js';
export { UsePolicy } from './authorization/use-policy.decorator.js';
export { Boundary } from './authorization/boundary.decorator.js';
export { Dpop } from './authentication/dpop/dpop.decorator.js';
export { SecurityHeaders } from './transport/security-headers.decorator.js';
export { ValidatedHeaders } from './validation/validated-headers.decorator.js';
export { ValidatedQuery } from './validation/validated-query.decorator.js';

// Principals, request context and the authenticator port
export type { Principal, CredentialType, BuiltInCredential } from './core/principal.js';
export type { RequestContext, Transport, AuthenticationState } from './core/request-context.js';
export type { RouteContext } from './core/route-context.js';
export type { RouteDecision } from './authorization/route-decision.js';
export type { ClientAddress } from './net/forwarded.js';
export type { Authenticator } from './core/authenticator.js';
export { extractBearerToken, isBearerPresented } from './authentication/bearer-token.js';
export { passportAuthenticator } from './authentication/passport/passport.authenticator.js';
export type { PassportAuthenticatorOptions } from './authentication/passport/passport.authenticator.js';
export type { PassportPresence } from './authentication/passport/passport-presence.js';
export { defaultPassportPrincipal } from './authentication/passport/passport-principal.js';
export { AccessTokenVerifier } from './authentication/issuers/access-token-verifier.js';
export type { AccessTokenCredential, VerifiedAccessToken } from './authentication/issuers/access-token-verifier.js';
export type { MappedIdentity } from './authentication/jwt/claims-principal.js';
export { JwtVerifier } from './authentication/jwt/jwt-verifier.js';
export type { JwtVerifierDeps } from './authentication/jwt/jwt-verifier.js';
export { IntrospectionVerifier } from './authentication/introspection/introspection-verifier.js';
export type { IntrospectionVerifierDeps } from './authentication/introspection/introspection-verifier.js';
export { JwtRejection, JWT_REJECTION_REASONS } from './authentication/jwt/jwt-errors.js';
export type { JwtRejectionReason } from './authentication/jwt/jwt-errors.js';
export { SignatureRejection, SIGNATURE_REJECTION_REASONS } from './authentication/signature/signature-errors.js';
export type { SignatureRejectionReason } from './authentication/signature/signature-errors.js';
export { contentDigest, verifyContentDigest } from './authentication/signature/content-digest.js';
export type { DigestAlgorithm } from './authentication/signature/content-digest.js';
export { ApiKeyRejection, API_KEY_REJECTION_REASONS } from './authentication/api-key/api-key-errors.js';
export type { ApiKeyRejectionReason } from './authentication/api-key/api-key-errors.js';

// API keys: issuing and revoking them, and the key-store port (memory, Redis, your database)
export { ApiKeys } from './authentication/api-key/api-keys.service.js';
export type { IssueApiKeyOptions, IssuedApiKey } from './authentication/api-key/api-keys.service.js';
export { API_KEY_STORE } from './authentication/api-key/api-key-store.js';
export type { ApiKeyStore } from './authentication/api-key/api-key-store.js';
export type { ApiKeyRecord, ApiKeySigningKey } from './authentication/api-key/api-key-record.js';
export { recordFromJson, recordFromRow, recordToJson } from './authentication/api-key/api-key-record.js';
export { API_KEY_PREFIX, API_KEY_REGEX_SOURCE, generateApiKey, hashApiKey, parseApiKey, verifyApiKey } from './authentication/api-key/api-key-format.js';
export type { GeneratedApiKey } from './authentication/api-key/api-key-format.js';
export { DPOP_REJECTION_REASONS } from './authentication/dpop/dpop-errors.js';
export type { DpopRejectionReason } from './authentication/dpop/dpop-errors.js';

// Outgoing calls: client-credentials tokens for the API's own calls to other services
export { ClientCredentialsTokenProvider } from './oauth-client/client-credentials.js';
export type { ClientCredentialsOptions, ClientCredentialsToken, ClientCredentialsDeps } from './oauth-client/client-credentials.js';
export { ClientCredentialsError } from './oauth-client/client-credentials.error.js';
export type { ClientCredentialsErrorCode } from './oauth-client/client-credentials.error.js';
export { clientCredentialsProvider } from './oauth-client/client-credentials.provider.js';
export type { ClientCredentialsProviderOptions } from './oauth-client/client-credentials.provider.js';

// Outgoing calls: RFC 9421 signed requests
export { RequestSigner, signingFetch } from './authentication/signature/request-signer.js';
export type { OutgoingRequest, RequestSignerOptions, SignOverrides, SignatureHeaders } from './authentication/signature/request-signer.js';
export { provideRequestSigner } from './authentication/signature/request-signer.provider.js';
export type { RequestSignerFactory } from './authentication/signature/request-signer.provider.js';
// Outgoing calls: DPoP proofs (RFC 9449) and PKCE (RFC 7636) for the API's own OAuth clients
export { DpopSigner } from './oauth-client/dpop-signer.js';
export type { DpopFetchInit, DpopProofRequest } from './oauth-client/dpop-signer.js';
export { createPkcePair, pkceChallenge, verifyPkce } from './oauth-client/pkce.js';
export type { PkcePair } from './oauth-client/pkce.js';

// Policies
export type { Policy, PolicyContext, PolicyDenial, PolicyType } from './authorization/policy.js';
export { OwnershipPolicy } from './authorization/ownership.policy.js';
export type { OwnershipOptions } from './authorization/ownership.policy.js';
export { ClaimMatchPolicy } from './authorization/claim-match.policy.js';
export type { ClaimMatchOptions } from './authorization/claim-match.policy.js';
export type { ClaimValue } from './authorization/claims.js';

// Guards (for subclassing, registered with the `guards` option) and the validation pipe
export { AuthenticationGuard } from './authentication/authentication.guard.js';
export { BastionThrottlerGuard } from './throttling/bastion-throttler.guard.js';
export { AuthorizationGuard } from './authorization/authorization.guard.js';
export { BASTION_THROTTLER } from './throttling/throttler-config.js';
export { StrictValidationPipe, strictValidationOptions } from './validation/strict-validation.pipe.js';
export type { FieldError } from './validation/validation-errors.js';

// Errors
export { BastionException, InvalidRequestException, InvalidTokenException, UnauthenticatedException } from './errors/bastion.exception.js';
export type { BastionExceptionOptions, BearerChallenge } from './errors/bastion.exception.js';
export { ERROR_CODES } from './errors/error-codes.js';
export type { ErrorCode } from './errors/error-codes.js';
export type { ProblemDocument } from './errors/problem-details.js';
export { RouteSecurityError } from './authorization/route-security.error.js';

// Security events, audit, alerts
export { SecurityEvents } from './audit/security-events.service.js';
export type { SecurityEventListener, SubscribeOptions } from './audit/security-events.service.js';
export type { SecurityEvent, SecurityEventType, PrincipalSummary } from './audit/security-event.js';
export { AUDIT_SINK, InjectAuditSink, JsonLinesAuditSink, LoggerAuditSink } from './audit/audit-sink.js';
export type { AuditSink, LineWriter } from './audit/audit-sink.js';
export { createRedactor, redactText } from './audit/redactor.js';
export { REDACTED } from './audit/redaction-patterns.js';
export { RedactingLogger } from './audit/redacting-logger.js';
export { DEFAULT_ALERT_RULES } from './alerts/alert-rules.js';
export type { AlertRule, AlertDimension } from './alerts/alert-rules.js';
export { WEBHOOK_SIGNATURE_HEADER, verifyWebhookSignature } from './alerts/webhook-signature.js';

// Revocation, stores, keys
export { RevocationService } from './revocation/revocation.service.js';
export { BASTION_STORE } from './stores/store.interface.js';
export type { BastionStore } from './stores/store.interface.js';
export { MemoryStore } from './stores/memory.store.js';
export type { MemoryStoreOptions } from './stores/memory.store.js';
export { RedisStore } from './stores/redis.store.js';
export type { RedisStoreOptions } from './stores/redis.store.js';
export { BASTION_SECURITY_STATE, SECURITY_STATE_KINDS, SecurityStateFullError, rememberOnce } from './stores/security-state.interface.js';
export type { SecurityStateFull, SecurityStateKind, SecurityStateStore } from './stores/security-state.interface.js';
export { MemorySecurityStore, DEFAULT_SECURITY_LIMITS } from './stores/memory-security.store.js';
export type { MemorySecurityStoreOptions } from './stores/memory-security.store.js';
export { RedisSecurityStore } from './stores/redis-security.store.js';
export type { RedisSecurityStoreOptions } from './stores/redis-security.store.js';
export { SECURITY_STATE_FULL_ALERT } from './stores/security-state-alarm.js';
export { HmacKeyRing } from './keys/hmac-key-ring.js';
export { generateHmacSecret, generateEd25519Jwk } from './keys/key-generation.js';
export type { Ed25519KeyPair } from './keys/key-generation.js';

// GraphQL, WebSocket gateways, microservices
export { BastionGraphql } from './graphql/bastion-graphql.service.js';
export type { GraphqlOptions } from './graphql/graphql-options.js';
export { secureWebSocketAdapter } from './sockets/secure-websocket-adapter.js';
export type { WebSocketOptions, WebSocketCredentialSource } from './sockets/websocket-options.js';
export { bastionClient } from './microservices/bastion-client.js';
export type { BastionClient, ClientProxyLike } from './microservices/bastion-client.js';
export type { BastionEnvelope } from './contexts/rpc/rpc-envelope.js';
export type { TransportErrorBody } from './errors/transport-error.js';

// Route map and OpenAPI
export { RouteSecurityMap } from './authorization/route-security-map.service.js';
export type { RouteSecurity, RouteThrottle } from './authorization/route-security.js';
export { applyBastionSecurity, createBastionDocument } from './openapi/apply-bastion-security.js';
export type { OpenApiDocumentLike, BastionOpenApiOptions } from './openapi/apply-bastion-security.js';
export type { DescribesOpenApi, OpenApiScheme, OpenApiSchemeOptions, OpenApiTarget, SecuritySchemeLike } from './openapi/security-requirements.js';
export type { IssuerDocumentOptions } from './openapi/issuer-schemes.js';

// Metrics (docs/operations.md); the health indicator is in `@bastion/nest/health`
export { BASTION_METRICS } from './telemetry/metric-definitions.js';
export type { BastionMetric, MetricDefinition, MetricKind } from './telemetry/metric-definitions.js';
