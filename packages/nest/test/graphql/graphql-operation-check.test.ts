import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { syntheticRoute } from '../../src/authorization/synthetic-route.js';
import { isEnvelope } from '../../src/contexts/rpc/rpc-envelope.js';
import { needsCredential, rootFields, selectedOperation } from '../../src/graphql/graphql-operation-check.js';

const routes: Record<string, ReturnType<typeof syntheticRoute>> = {
  'Query.hello': syntheticRoute('hello', true, undefined),
  'Query.orders': syntheticRoute('orders', false, undefined),
  'Mutation.placeOrder': syntheticRoute('placeOrder', false, undefined),
};
const routeOf = (name: string) => routes[name];

function fieldsOf(source: string, operationName?: string) {
  const document = parse(source);
  return rootFields(document, selectedOperation(document, operationName)!);
}

describe('GraphQL root fields before execution', () => {
  it('follows aliases, inline fragments and fragment spreads at the root; skips __typename', () => {
    expect(fieldsOf('{ a: orders { id } __typename ... on Query { hello } ...F } fragment F on Query { orders { id } }')).toEqual(['Query.orders', 'Query.hello']);
  });

  it('picks the named operation and its root type', () => {
    expect(fieldsOf('query A { hello } mutation B { placeOrder { id } }', 'B')).toEqual(['Mutation.placeOrder']);
  });

  it('needs a credential only when every selected root field is protected', () => {
    expect(needsCredential(['Query.orders'], routeOf)).toBe(true);
    expect(needsCredential(['Query.orders', 'Query.hello'], routeOf)).toBe(false);
    // Unknown fields are left to validation, never answered 401.
    expect(needsCredential(['Query.nope'], routeOf)).toBe(false);
    expect(needsCredential([], routeOf)).toBe(false);
  });
});

describe('microservice envelope', () => {
  it('is exactly { bastion: {…}, payload? }', () => {
    expect(isEnvelope({ bastion: { authorization: 'Bearer x' }, payload: 1 })).toBe(true);
    expect(isEnvelope({ bastion: {} })).toBe(true);
    expect(isEnvelope({ bastion: { authorization: 'x' }, payload: 1, extra: true })).toBe(false);
    expect(isEnvelope({ bastion: 'Bearer x', payload: 1 })).toBe(false);
    expect(isEnvelope([{ bastion: {} }])).toBe(false);
    expect(isEnvelope({ payload: 1 })).toBe(false);
  });
});
