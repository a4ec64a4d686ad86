/**
 * The message envelope that carries a credential to a microservice handler:
 * `{ "bastion": { "authorization": "Bearer <token>" }, "payload": <the handler's data> }`. Exactly
 * those two members; anything else is a plain payload (no credential). `bastionClient()` writes it.
 */
export interface BastionEnvelope<T = unknown> {
  bastion: { authorization?: string | string[] };
  payload: T;
}

/** True when `data` is a Bastion envelope (an object with `bastion` and at most `payload` besides). */
export function isEnvelope(data: unknown): data is BastionEnvelope {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const keys = Object.keys(data);
  if (!keys.includes('bastion') || keys.some((k) => k !== 'bastion' && k !== 'payload')) return false;
  const meta = (data as { bastion: unknown }).bastion;
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta);
}

/** The credential lines an envelope carries (`authorization`, as strings only). */
export function envelopeAuthorization(envelope: BastionEnvelope): string[] {
  const value = envelope.bastion.authorization;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Wraps a payload with its credential (the client side of {@link isEnvelope}). */
export function envelope<T>(payload: T, authorization: string): BastionEnvelope<T> {
  return { bastion: { authorization }, payload };
}
