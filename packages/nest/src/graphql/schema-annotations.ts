import type { GraphQLSchema } from 'graphql';
import type { RouteSecurity } from '../authorization/route-security.js';

/** The line Bastion appends to a field's description; its prefix marks it, so it is written once. */
const PREFIX = 'Bastion: ';

/**
 * What Bastion requires on one GraphQL field, as one line: `Bastion: public`, `Bastion: authenticated`,
 * `Bastion: scopes orders:read; policy OwnOrderPolicy`… (scopes all required; `any of` lists; roles; policies;
 * boundary). Undecided fields (only with `strict: false`) say so.
 */
export function decisionNote(route: RouteSecurity): string {
  if (route.undecided) return `${PREFIX}no access decision`;
  if (route.public) return `${PREFIX}public${route.baseline ? ' (baseline, awaiting review)' : ''}`;
  const parts: string[] = [];
  if (route.scopes.length) parts.push(`scopes ${route.scopes.join(', ')}`);
  for (const any of route.anyScopes) parts.push(`any scope of ${any.join(', ')}`);
  for (const roles of route.roles) parts.push(`any role of ${roles.join(', ')}`);
  if (route.policies.length) parts.push(`${route.policies.length > 1 ? 'policies' : 'policy'} ${route.policies.join(', ')}`);
  if (route.boundary) parts.push(`boundary ${route.boundary}`);
  return `${PREFIX}${parts.length ? parts.join('; ') : 'authenticated'}`;
}

/**
 * Appends each resolver's access decision from the route map to its field's description in the schema
 * (root fields and the field resolvers that state a decision), so SDL, introspection and the tools built on
 * them show what a field requires. Descriptions only: no directive the client would have to know. Returns
 * the same schema; a field already annotated is left as it is.
 */
export function annotateSchema(schema: GraphQLSchema, routes: readonly RouteSecurity[]): GraphQLSchema {
  for (const route of routes) {
    if (route.transport !== 'graphql') continue;
    for (const path of route.paths) {
      const [typeName, fieldName] = path.split('.');
      const type = typeName ? schema.getType(typeName) : undefined;
      const field = type && fieldName && 'getFields' in type ? (type.getFields() as Record<string, { description?: string | null }>)[fieldName] : undefined;
      if (!field || field.description?.includes(PREFIX)) continue;
      const note = decisionNote(route);
      field.description = field.description ? `${field.description}\n\n${note}` : note;
    }
  }
  return schema;
}
