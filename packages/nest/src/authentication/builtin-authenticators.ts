import type { Provider } from '@nestjs/common';
import { AUTHENTICATORS } from '../core/authenticator.js';
import { API_KEY_PROVIDERS } from './api-key/api-key.providers.js';
import { ApiKeyAuthenticator } from './api-key/api-key.authenticator.js';
import { DpopAuthenticator } from './dpop/dpop.authenticator.js';
import { IntrospectionAuthenticator } from './introspection/introspection.authenticator.js';
import { BEARER_PROVIDERS } from './issuers/bearer.providers.js';
import { JwtAuthenticator } from './jwt/jwt.authenticator.js';
import { MtlsAuthenticator } from './mtls/mtls.authenticator.js';
import { SENDER_CONSTRAINT_PROVIDERS } from './sender-constraint.providers.js';
import { SIGNATURE_PROVIDERS } from './signature/signature.providers.js';
import { SignatureAuthenticator } from './signature/signature.authenticator.js';

/**
 * The built-in credentials: each folder provides its authenticator under its own class token (null when
 * its option is not set). Add a built-in by listing its providers and its token here.
 */
const BUILT_IN_TOKENS = [JwtAuthenticator, IntrospectionAuthenticator, DpopAuthenticator, MtlsAuthenticator, SignatureAuthenticator, ApiKeyAuthenticator];

/** Providers of the built-in authenticators, and the list of those that configuration enables. */
export const BUILT_IN_AUTHENTICATION_PROVIDERS: Provider[] = [
  ...BEARER_PROVIDERS,
  ...SENDER_CONSTRAINT_PROVIDERS,
  ...SIGNATURE_PROVIDERS,
  ...API_KEY_PROVIDERS,
  { provide: AUTHENTICATORS, useFactory: (...enabled: unknown[]) => enabled.filter(Boolean), inject: BUILT_IN_TOKENS },
];
