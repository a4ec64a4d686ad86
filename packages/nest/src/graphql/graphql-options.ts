import { BastionConfigError, assertOptionalObject } from '../options/assert.js';

/**
 * GraphQL protection (`graphql` in `BastionOptions`), applied to Apollo and Mercurius through
 * `BastionGraphql`. Every limit is checked when the operation is validated, before any resolver runs.
 *
 * @example
 * ```ts
 * BastionModule.forRoot({ jwt: {…}, graphql: { maxDepth: 8, maxCost: 3_000, introspection: false } });
 * ```
 */
export interface GraphqlOptions {
  /** Deepest field nesting allowed in one operation (fragments flattened). Default 10. */
  maxDepth?: number;
  /** Aliases allowed in one operation. Default 15. */
  maxAliases?: number;
  /** Cost allowed per operation (graphql-armor's model: objects 2, scalars 1, times 1.5 per level). Default 5,000. */
  maxCost?: number;
  /** Directives allowed in one operation. Default 50. */
  maxDirectives?: number;
  /** Operations allowed in one batched HTTP request; 1 turns batching off. Default 1. */
  maxBatch?: number;
  /** Schema introspection (and field suggestions in errors). Default: on unless `NODE_ENV` is `production`. */
  introspection?: boolean;
}

/** GraphQL options with every default applied. */
export type ResolvedGraphqlOptions = Required<GraphqlOptions>;

/** Resolves `graphql` (validated first), applying the defaults. */
export function resolveGraphqlOptions(value: unknown, env: string | undefined = process.env.NODE_ENV): ResolvedGraphqlOptions {
  assertOptionalObject(value, 'graphql');
  const options = (value ?? {}) as Record<string, unknown>;
  const known = ['maxDepth', 'maxAliases', 'maxCost', 'maxDirectives', 'maxBatch', 'introspection'];
  for (const key of Object.keys(options)) if (!known.includes(key)) throw new BastionConfigError(`graphql.${key}`, `is not a GraphQL option (${known.join(', ')})`);
  const count = (key: string, fallback: number): number => {
    const n = options[key];
    if (n === undefined) return fallback;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new BastionConfigError(`graphql.${key}`, 'must be a positive integer');
    return n;
  };
  const introspection = options.introspection;
  if (introspection !== undefined && typeof introspection !== 'boolean') throw new BastionConfigError('graphql.introspection', 'must be a boolean');
  return {
    maxDepth: count('maxDepth', 10),
    maxAliases: count('maxAliases', 15),
    maxCost: count('maxCost', 5_000),
    maxDirectives: count('maxDirectives', 50),
    maxBatch: count('maxBatch', 1),
    introspection: introspection ?? env !== 'production',
  };
}
