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
  /**
   * Append each resolver's access decision to its field's description in the schema
   * (`Bastion: scopes orders:read`), for SDL, introspection and the tools built on them. Default true.
   */
  annotateSchema?: boolean;
}

/** GraphQL options with every default applied. */
export type ResolvedGraphqlOptions = Required<GraphqlOptions>;

const KNOWN = ['maxDepth', 'maxAliases', 'maxCost', 'maxDirectives', 'maxBatch', 'introspection', 'annotateSchema'];
const COUNTS = ['maxDepth', 'maxAliases', 'maxCost', 'maxDirectives', 'maxBatch'];

/** Validates `graphql` at boot. */
export function validateGraphqlOptions(value: unknown): void {
  assertOptionalObject(value, 'graphql');
  const options = (value ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(options)) if (!KNOWN.includes(key)) throw new BastionConfigError(`graphql.${key}`, `is not a GraphQL option (${KNOWN.join(', ')})`);
  for (const key of COUNTS) {
    const n = options[key];
    if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 1)) throw new BastionConfigError(`graphql.${key}`, 'must be a positive integer');
  }
  for (const key of ['introspection', 'annotateSchema']) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') throw new BastionConfigError(`graphql.${key}`, 'must be a boolean');
  }
}

/** Applies the defaults to validated `graphql` options (the `graphql` slice of the resolved configuration). */
export function resolveGraphqlOptions(options: GraphqlOptions | undefined, env: string | undefined = process.env.NODE_ENV): ResolvedGraphqlOptions {
  return {
    maxDepth: options?.maxDepth ?? 10,
    maxAliases: options?.maxAliases ?? 15,
    maxCost: options?.maxCost ?? 5_000,
    maxDirectives: options?.maxDirectives ?? 50,
    maxBatch: options?.maxBatch ?? 1,
    introspection: options?.introspection ?? env !== 'production',
    annotateSchema: options?.annotateSchema ?? true,
  };
}
