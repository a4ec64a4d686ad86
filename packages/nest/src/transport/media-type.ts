/** A parsed `Content-Type` (RFC 9110 §8.3.1): lower-cased `type/subtype` and its parameters. */
export interface MediaType {
  essence: string;
  parameters: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses a media type; `undefined` when it is not `token/token *(; name=value)`. */
export function parseMediaType(header: string | undefined): MediaType | undefined {
  if (header === undefined) return undefined;
  const [head, ...params] = header.split(';');
  const essence = head!.trim().toLowerCase();
  const slash = essence.indexOf('/');
  if (slash <= 0 || !TOKEN.test(essence.slice(0, slash)) || !TOKEN.test(essence.slice(slash + 1))) return undefined;
  const parameters: Record<string, string> = Object.create(null);
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    let value = param.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name) parameters[name] = value;
  }
  return { essence, parameters };
}

/** True when `essence` is JSON: `application/json` or a `+json` structured suffix (RFC 6839 §3.1). */
export function isJsonMediaType(essence: string): boolean {
  return essence === 'application/json' || essence.endsWith('+json');
}
