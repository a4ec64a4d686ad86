import type { RequestContext } from '../../core/request-context.js';
import { BastionConfigError } from '../../options/assert.js';

/**
 * When a request carries a Passport strategy's credential: a header (optionally with an auth scheme,
 * compared case-insensitively), or body fields (any one of them present), or your own test.
 */
export type PassportPresence = { header: string; scheme?: string } | { bodyFields: readonly string[] } | ((ctx: RequestContext) => boolean);

/** Defaults by strategy name; other strategies must say how their credential travels. */
const DEFAULTS: Readonly<Record<string, PassportPresence>> = {
  local: { bodyFields: ['username', 'password'] },
  jwt: { header: 'authorization', scheme: 'Bearer' },
  bearer: { header: 'authorization', scheme: 'Bearer' },
  basic: { header: 'authorization', scheme: 'Basic' },
};

/** The presence test of a strategy: the given rule, else its name's default; throws when there is none. */
export function presenceTest(rule: PassportPresence | undefined, strategyName: string, path: string): (ctx: RequestContext) => boolean {
  const chosen = rule ?? DEFAULTS[strategyName];
  if (chosen === undefined) {
    throw new BastionConfigError(
      path,
      `is required for strategy "${strategyName}": say where its credential travels ({ header: 'x-api-key' }, { header: 'authorization', scheme: 'Token' }, { bodyFields: [...] } or a function)`,
    );
  }
  if (typeof chosen === 'function') return chosen;
  if ('header' in chosen) {
    if (typeof chosen.header !== 'string' || chosen.header === '') throw new BastionConfigError(`${path}.header`, 'must be a non-empty header name');
    const header = chosen.header.toLowerCase();
    const prefix = chosen.scheme?.toLowerCase();
    if (prefix === undefined) return (ctx) => ctx.headerLines(header).length > 0;
    return (ctx) => ctx.headerLines(header).some((line) => line.toLowerCase().startsWith(prefix) && (line.length === prefix.length || line[prefix.length] === ' '));
  }
  const fields = [...chosen.bodyFields];
  if (fields.length === 0 || fields.some((f) => typeof f !== 'string' || f === '')) throw new BastionConfigError(`${path}.bodyFields`, 'must be a non-empty array of field names');
  return (ctx) => {
    const body = ctx.body;
    return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && fields.some((f) => Object.hasOwn(body, f));
  };
}
