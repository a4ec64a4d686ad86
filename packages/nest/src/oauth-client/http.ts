/** Largest JSON document read from an identity provider, in bytes; larger ones count as a failed call. */
export const MAX_DOCUMENT_BYTES = 512 * 1024;

/**
 * A failed outgoing call (network error, timeout, non-2xx, oversized or non-JSON body). The message is
 * for operators and never holds a request or response body, a token or a credential.
 */
export class FetchFailure extends Error {
  constructor(
    message: string,
    /** HTTP status when the server answered. */
    readonly status?: number,
    /** The parsed JSON body of a non-2xx answer, when it was a JSON object (OAuth error responses). */
    readonly body?: Record<string, unknown>,
    /** True when the call was aborted by its timeout. */
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'FetchFailure';
  }
}

/** Settings of one outgoing JSON call. */
export interface JsonCall {
  /** Milliseconds before the call is aborted. */
  timeout: number;
  fetch?: typeof fetch;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** `application/x-www-form-urlencoded` body (POST). */
  form?: URLSearchParams;
  /** Response `Accept`. Default `application/json`. */
  accept?: string;
}

async function readLimited(res: Response, limit: number): Promise<string> {
  const length = Number(res.headers.get('content-length'));
  if (length > limit) throw new FetchFailure('document too large', res.status);
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > limit) throw new FetchFailure('document too large', res.status);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const doc = JSON.parse(text) as unknown;
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `url` and returns its JSON object body. Redirects are refused (a key set or token endpoint that
 * moves is a configuration change, not something to follow blindly), the body is size-limited, and the
 * call is aborted after `timeout`. Throws {@link FetchFailure}; never throws anything else.
 */
export async function fetchJson(url: string, call: JsonCall): Promise<Record<string, unknown>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), call.timeout);
  const fetchImpl = call.fetch ?? globalThis.fetch;
  try {
    const res = await fetchImpl(url, {
      method: call.method ?? 'GET',
      signal: controller.signal,
      redirect: 'error',
      headers: { accept: call.accept ?? 'application/json', ...call.headers, ...(call.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: call.form?.toString(),
    });
    const text = await readLimited(res, MAX_DOCUMENT_BYTES);
    const doc = parseObject(text);
    if (!res.ok) throw new FetchFailure(`HTTP ${res.status}`, res.status, doc);
    if (!doc) throw new FetchFailure('not a JSON object', res.status);
    return doc;
  } catch (error) {
    if (controller.signal.aborted) throw new FetchFailure(`timed out after ${call.timeout} ms`, undefined, undefined, true);
    if (error instanceof FetchFailure) throw error;
    // Network errors: the error's name only (undici messages can carry the URL with its query).
    throw new FetchFailure((error as Error)?.name ?? 'fetch error');
  } finally {
    clearTimeout(timer);
  }
}
