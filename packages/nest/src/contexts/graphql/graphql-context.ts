import type { ExecutionContext } from '@nestjs/common';
import { ANY_SCOPES_KEY, AUTHENTICATED_KEY, POLICIES_KEY, PUBLIC_KEY, ROLES_KEY, SCOPES_KEY } from '../../core/constants.js';
import type { HttpContextSettings } from '../http/http-context.js';
import { OperationContext } from '../operation-context.js';
import type { BastionRequestContext } from '../bastion-context.js';
import { attachedGraphqlSession, graphqlSessionOf } from './graphql-session.js';

/** The parts of graphql-js's `GraphQLResolveInfo` Bastion reads. */
interface ResolveInfoLike {
  fieldName: string;
  parentType: { name: string };
  schema: { getQueryType(): unknown; getMutationType(): unknown; getSubscriptionType(): unknown };
}

const DECISION_KEYS = [PUBLIC_KEY, AUTHENTICATED_KEY, SCOPES_KEY, ANY_SCOPES_KEY, ROLES_KEY, POLICIES_KEY];

// One context per field resolution: every guard of one resolver call gets the same one.
const byInfo = new WeakMap<object, OperationContext>();

/** The context the guards built for a field resolution, else the request or connection the GraphQL context belongs to. */
export function existingGraphqlContext(context: ExecutionContext): BastionRequestContext | undefined {
  const [, , gqlContext, info] = context.getArgs<[unknown, unknown, unknown, ResolveInfoLike | undefined]>();
  return (typeof info === 'object' && info !== null ? byInfo.get(info) : undefined) ?? attachedGraphqlSession(gqlContext);
}

/** `QUERY`, `MUTATION` or `SUBSCRIPTION` for a root field, undefined for a field of another type. */
export function rootOperation(info: ResolveInfoLike): 'QUERY' | 'MUTATION' | 'SUBSCRIPTION' | undefined {
  const parent = info.parentType;
  if (parent === info.schema.getQueryType()) return 'QUERY';
  if (parent === info.schema.getMutationType()) return 'MUTATION';
  if (parent === info.schema.getSubscriptionType()) return 'SUBSCRIPTION';
  return undefined;
}

/** True when a handler carries an access decision of its own (method-level metadata). */
function marked(handler: object): boolean {
  return DECISION_KEYS.some((key) => Reflect.getOwnMetadata(key, handler) !== undefined);
}

/**
 * The context of one GraphQL field resolution (`Query.orders`), inside the request (queries,
 * mutations) or the `graphql-ws` connection (subscriptions) it belongs to. A field resolver of a
 * non-root type that states no decision of its own passes through: its root field was checked.
 */
export function graphqlContextFrom(context: ExecutionContext, settings: HttpContextSettings): OperationContext | undefined {
  const [, args, gqlContext, info] = context.getArgs<[unknown, unknown, unknown, ResolveInfoLike | undefined]>();
  if (typeof info !== 'object' || info === null || typeof info.fieldName !== 'string') return undefined;
  let ctx = byInfo.get(info);
  if (ctx) return ctx;
  const session = graphqlSessionOf(gqlContext, settings);
  if (!session) return undefined;
  const root = rootOperation(info);
  ctx = new OperationContext(session, {
    transport: 'graphql',
    method: root ?? 'FIELD',
    path: `${info.parentType.name}.${info.fieldName}`,
    sameId: session.transport === 'http',
    body: args,
    passThrough: root === undefined && !marked(context.getHandler()),
    request: gqlContext,
  });
  byInfo.set(info, ctx);
  return ctx;
}
