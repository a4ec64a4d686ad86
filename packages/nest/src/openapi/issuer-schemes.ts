import type { IssuerConfig } from '../authentication/jwt/jwt-config.js';
import type { OpenApiScheme } from './security-requirements.js';

/** How one issuer appears in the document, keyed by its `issuer` URL in `BastionOpenApiOptions.issuers`. */
export interface IssuerDocumentOptions {
  /** Declare an `oauth2` scheme with the client-credentials flow at this token URL (and the scopes listed). */
  tokenUrl?: string;
  /** With `tokenUrl`: also the authorization-code flow at this URL. */
  authorizationUrl?: string;
  refreshUrl?: string;
  /** Name of the scheme under `components.securitySchemes`. Default `oidc`/`oauth2`/`bearer`, suffixed per issuer when there are several. */
  schemeName?: string;
}

function slug(issuer: string): string {
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
  return (url ? `${url.hostname}${url.port ? `_${url.port}` : ''}${url.pathname}` : issuer).replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * One scheme per trusted issuer: `openIdConnect` (its discovery URL) when it uses discovery, `oauth2`
 * (flows with the scopes the routes use) when a token URL is configured for it, else a plain `http`
 * bearer scheme, which cannot carry scopes. Issuers that all end up as plain bearer share one scheme.
 */
export function issuerSchemes(configs: readonly IssuerConfig[], options: Readonly<Record<string, IssuerDocumentOptions>> = {}): Map<string, OpenApiScheme> {
  const out = new Map<string, OpenApiScheme>();
  const several = configs.length > 1;
  for (const config of configs) {
    const doc = options[config.issuer] ?? {};
    const named = (base: string) => doc.schemeName ?? (several ? `${base}_${slug(config.issuer)}` : base);
    if (doc.tokenUrl !== undefined) {
      const flows: NonNullable<OpenApiScheme['scheme']['flows']> = { clientCredentials: { tokenUrl: doc.tokenUrl, ...(doc.refreshUrl ? { refreshUrl: doc.refreshUrl } : {}), scopes: {} } };
      if (doc.authorizationUrl !== undefined) flows.authorizationCode = { authorizationUrl: doc.authorizationUrl, tokenUrl: doc.tokenUrl, ...(doc.refreshUrl ? { refreshUrl: doc.refreshUrl } : {}), scopes: {} };
      out.set(config.issuer, { name: named('oauth2'), scoped: true, scheme: { type: 'oauth2', description: `Access tokens of ${config.issuer}`, flows } });
    } else if (config.discoveryUrl !== undefined) {
      out.set(config.issuer, { name: named('oidc'), scoped: true, scheme: { type: 'openIdConnect', openIdConnectUrl: config.discoveryUrl, description: `Access tokens of ${config.issuer}` } });
    } else {
      const jwtOnly = config.introspection === undefined;
      out.set(config.issuer, { name: doc.schemeName ?? 'bearer', scoped: false, scheme: { type: 'http', scheme: 'bearer', ...(jwtOnly ? { bearerFormat: 'JWT' } : {}) } });
    }
  }
  return out;
}
