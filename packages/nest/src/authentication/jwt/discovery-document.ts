import { FetchHistory, type FetchStatus } from '../../oauth-client/fetch-history.js';
import { FetchFailure, fetchJson } from '../../oauth-client/http.js';
import { assertFetchableUrl } from './jwt-config.js';

/** Settings of a {@link DiscoveryDocument}; times in milliseconds. */
export interface DiscoveryDocumentOptions {
  /** `<issuer>/.well-known/openid-configuration`. */
  url: string;
  /** The configured issuer; the document's `issuer` must equal it. */
  issuer: string;
  allowInsecureHttp: boolean;
  /** How long a fetched document is used before it is fetched again. */
  maxAge: number;
  /** Minimum time between two attempts after a failure. */
  cooldown: number;
  timeout: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * An issuer's OpenID Provider metadata (OIDC Discovery 1.0 §4, RFC 8414), shared by its key set and its
 * introspection client. Re-fetched once older than `maxAge` (an issuer may move its `jwks_uri` or its
 * introspection endpoint), one fetch in flight at a time; while the issuer cannot be reached, the last
 * good document keeps being used (the key set's own staleness limit bounds how long that matters).
 */
export class DiscoveryDocument {
  private document: Record<string, unknown> | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<Record<string, unknown>> | undefined;
  private readonly now: () => number;
  private readonly history = new FetchHistory();
  /** Number of fetches started (for tests and metrics). */
  fetchCount = 0;

  constructor(private readonly options: DiscoveryDocumentOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  /** Fetch history (for health checks and metrics). */
  status(): FetchStatus {
    return this.history.status();
  }

  /**
   * The document, fetched when missing or older than `maxAge` (at most one attempt per `cooldown` after a
   * failure). Throws `FetchFailure` when no document could be read yet.
   */
  async get(): Promise<Record<string, unknown>> {
    const now = this.now();
    if (this.document && now - this.fetchedAt < this.options.maxAge) return this.document;
    if (!this.inFlight && now - this.attemptedAt >= this.options.cooldown) {
      this.attemptedAt = now;
      this.inFlight = this.load()
        .then(
          (doc) => (this.history.succeeded(this.fetchedAt), doc),
          (error: unknown) => {
            this.history.failed(this.now(), error);
            throw error;
          },
        )
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    if (!this.inFlight) {
      if (this.document) return this.document;
      throw new FetchFailure('discovery document unavailable');
    }
    try {
      return await this.inFlight;
    } catch (error) {
      if (this.document) return this.document;
      throw error;
    }
  }

  /** An endpoint URL from the document (`jwks_uri`, `introspection_endpoint`…), checked like a configured one. */
  async endpoint(name: string): Promise<string> {
    const url = (await this.get())[name];
    try {
      assertFetchableUrl(url, name, this.options.allowInsecureHttp);
    } catch {
      throw new FetchFailure(`discovered ${name} is missing or not https`);
    }
    return url;
  }

  private async load(): Promise<Record<string, unknown>> {
    this.fetchCount++;
    const doc = await fetchJson(this.options.url, { timeout: this.options.timeout, fetch: this.options.fetch });
    // OIDC Discovery 1.0 §4.3 / RFC 8414 §3.3: the issuer in the document must be identical to the one configured.
    if (doc.issuer !== this.options.issuer) throw new FetchFailure('discovered issuer differs from the configured issuer');
    this.document = doc;
    this.fetchedAt = this.now();
    return doc;
  }
}

/**
 * One {@link DiscoveryDocument} per issuer that uses discovery, shared by its key set and its
 * introspection client so the document is fetched once for both.
 */
export class DiscoveryDocuments {
  private readonly documents = new Map<string, DiscoveryDocument>();

  constructor(private readonly deps: { fetch?: typeof fetch; now?: () => number } = {}) {}

  /** The issuer's document, or `undefined` when the issuer does not use discovery. */
  for(config: {
    issuer: string;
    discoveryUrl: string | undefined;
    allowInsecureHttp: boolean;
    jwks: { maxAge: number; cooldown: number; timeout: number };
  }): DiscoveryDocument | undefined {
    if (config.discoveryUrl === undefined) return undefined;
    let document = this.documents.get(config.issuer);
    if (!document) {
      const { maxAge, cooldown, timeout } = config.jwks;
      document = new DiscoveryDocument({ url: config.discoveryUrl, issuer: config.issuer, allowInsecureHttp: config.allowInsecureHttp, maxAge, cooldown, timeout, ...this.deps });
      this.documents.set(config.issuer, document);
    }
    return document;
  }
}
