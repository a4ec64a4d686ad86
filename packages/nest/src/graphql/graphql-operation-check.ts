import type { ResolvedRoute } from '../authorization/resolved-route.js';

/** The parts of a graphql-js document Bastion reads. */
interface SelectionLike {
  kind: string;
  name?: { value: string };
  selectionSet?: { selections: readonly SelectionLike[] };
  typeCondition?: unknown;
}
interface DefinitionLike {
  kind: string;
  operation?: string;
  name?: { value: string };
  selectionSet?: { selections: readonly SelectionLike[] };
}
export interface DocumentLike {
  definitions: readonly DefinitionLike[];
}

const ROOT_TYPE: Record<string, string> = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' };

/** The operation of a document that a request runs (`operationName`, or the only one). */
export function selectedOperation(document: DocumentLike, operationName: string | undefined | null): DefinitionLike | undefined {
  const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/**
 * The root fields an operation selects, as `Query.orders` names (fragments at the root followed once).
 * `__typename` and introspection fields are left out: no resolver of the app's runs for them.
 */
export function rootFields(document: DocumentLike, operation: DefinitionLike): string[] {
  const type = ROOT_TYPE[operation.operation ?? 'query'] ?? 'Query';
  const fragments = new Map(document.definitions.filter((d) => d.kind === 'FragmentDefinition').map((d) => [d.name?.value, d]));
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (selections: readonly SelectionLike[] | undefined): void => {
    for (const s of selections ?? []) {
      if (s.kind === 'Field' && s.name && !s.name.value.startsWith('__')) names.add(`${type}.${s.name.value}`);
      else if (s.kind === 'InlineFragment') walk(s.selectionSet?.selections);
      else if (s.kind === 'FragmentSpread' && s.name && !seen.has(s.name.value)) {
        seen.add(s.name.value);
        walk(fragments.get(s.name.value)?.selectionSet?.selections);
      }
    }
  };
  walk(operation.selectionSet?.selections);
  return [...names];
}

/**
 * True when an anonymous caller could get nothing from the operation: it selects at least one root
 * field and every one is served by a resolver that is not `@Public()`. Such a request is answered as a
 * whole (401) instead of field by field. Unknown fields count as open (validation reports them).
 */
export function needsCredential(fields: readonly string[], routeOf: (name: string) => ResolvedRoute | undefined): boolean {
  if (fields.length === 0) return false;
  return fields.every((name) => {
    const route = routeOf(name);
    return route !== undefined && !route.decision.public;
  });
}
