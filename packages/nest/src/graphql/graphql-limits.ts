import type { ResolvedGraphqlOptions } from './graphql-options.js';

/** A graphql-js validation rule (typed loosely: `graphql` is an optional peer). */
export type ValidationRule = (context: any) => object;

/** `extensions.code` of an operation refused by a limit. */
export const QUERY_LIMIT_CODE = 'ERR_QUERY_LIMIT';

type Reject = (context: { reportError(error: unknown): void } | null, error: Error) => void;

/**
 * The validation rules that enforce the GraphQL limits: graphql-armor's depth, alias, cost and
 * directive rules, and graphql-js's rule against introspection when it is off. Each refusal is reported
 * as one error with `extensions.code` `ERR_QUERY_LIMIT` (the limit is named, the schema is not). Loaded
 * on demand: apps without GraphQL never load `graphql`.
 */
export async function limitRules(options: ResolvedGraphqlOptions): Promise<ValidationRule[]> {
  const [graphql, depth, aliases, cost, directives] = await Promise.all([
    import('graphql'),
    import('@escape.tech/graphql-armor-max-depth'),
    import('@escape.tech/graphql-armor-max-aliases'),
    import('@escape.tech/graphql-armor-cost-limit'),
    import('@escape.tech/graphql-armor-max-directives'),
  ]);
  const onReject: Reject[] = [
    (context, error) => context?.reportError(new graphql.GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: QUERY_LIMIT_CODE } })),
  ];
  const common = { propagateOnRejection: false, onReject, exposeLimits: true };
  const rules: ValidationRule[] = [
    depth.maxDepthRule({ ...common, n: options.maxDepth, ignoreIntrospection: false, flattenFragments: true }) as ValidationRule,
    aliases.maxAliasesRule({ ...common, n: options.maxAliases }) as ValidationRule,
    cost.costLimitRule({ ...common, maxCost: options.maxCost, ignoreIntrospection: false, flattenFragments: true }) as ValidationRule,
    directives.maxDirectivesRule({ ...common, n: options.maxDirectives }) as ValidationRule,
  ];
  if (!options.introspection) rules.push(graphql.NoSchemaIntrospectionCustomRule as ValidationRule);
  return rules;
}
