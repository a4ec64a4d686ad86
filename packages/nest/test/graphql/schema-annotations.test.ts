import { buildSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { RouteSecurity } from '../../src/authorization/route-security.js';
import { resolveGraphqlOptions, validateGraphqlOptions } from '../../src/graphql/graphql-options.js';
import { annotateSchema, decisionNote } from '../../src/graphql/schema-annotations.js';
import { BastionConfigError } from '../../src/options/assert.js';

function row(path: string, decision: Partial<RouteSecurity>): RouteSecurity {
  return {
    transport: 'graphql', controller: 'OrdersResolver', handler: path.split('.')[1]!, method: 'QUERY', path, paths: [path],
    boundary: undefined, accepts: 'any', public: false, baseline: false, authenticated: true, scopes: [], anyScopes: [], roles: [], policies: [],
    undecided: false, throttle: undefined, ...decision,
  };
}

const SDL = `
  type Order { id: ID! secret: String }
  type Query {
    "Open to all."
    hello: String
    orders: [Order!]
    order(id: ID!): Order
    admin: String
  }
  type Mutation { placeOrder(id: ID!): Order }
`;

describe('the route map in the GraphQL schema', () => {
  it('says what each field requires, in one line per field', () => {
    expect(decisionNote(row('Query.hello', { public: true, authenticated: false }))).toBe('Bastion: public');
    expect(decisionNote(row('Query.hello', { public: true, baseline: true, authenticated: false }))).toBe('Bastion: public (baseline, awaiting review)');
    expect(decisionNote(row('Query.me', {}))).toBe('Bastion: authenticated');
    expect(decisionNote(row('Query.orders', { scopes: ['orders:read', 'orders:list'], anyScopes: [['a', 'b']], roles: [['admin', 'ops']], policies: ['OwnOrderPolicy'], boundary: 'internal' })))
      .toBe('Bastion: scopes orders:read, orders:list; any scope of a, b; any role of admin, ops; policy OwnOrderPolicy; boundary internal');
    expect(decisionNote(row('Query.x', { undecided: true }))).toBe('Bastion: no access decision');
  });

  it('appends the note to root fields and field resolvers, keeps existing descriptions, ignores other transports, writes once', () => {
    const schema = buildSchema(SDL);
    const routes = [
      row('Query.hello', { public: true, authenticated: false }),
      row('Query.orders', { scopes: ['orders:read'] }),
      row('Query.order', { policies: ['OwnOrderPolicy'] }),
      { ...row('Order.secret', { roles: [['admin']] }), method: 'FIELD' },
      row('Mutation.placeOrder', { scopes: ['orders:write'] }),
      row('Query.missing', { scopes: ['x:y'] }),
      { ...row('Query.admin', { scopes: ['admin:all'] }), transport: 'ws' as const },
    ];
    const printed = () => printSchema(annotateSchema(schema, routes));
    const once = printed();
    expect(once).toContain('  """\n  Open to all.\n  \n  Bastion: public\n  """\n  hello: String');
    expect(once).toContain('  """Bastion: scopes orders:read"""\n  orders: [Order!]');
    expect(once).toContain('  """Bastion: policy OwnOrderPolicy"""\n  order(id: ID!): Order');
    expect(once).toContain('  """Bastion: any role of admin"""\n  secret: String');
    expect(once).toContain('  """Bastion: scopes orders:write"""\n  placeOrder(id: ID!): Order');
    expect(once).toMatch(/\n {2}admin: String/);
    expect(once).not.toContain('admin:all');
    expect(printed()).toBe(once);
  });

  it('graphql.annotateSchema: on by default, a boolean or refused at boot naming the option', () => {
    expect(resolveGraphqlOptions(undefined).annotateSchema).toBe(true);
    expect(resolveGraphqlOptions({ annotateSchema: false }).annotateSchema).toBe(false);
    expect(() => validateGraphqlOptions({ annotateSchema: 'yes' })).toThrow(BastionConfigError);
    expect(() => validateGraphqlOptions({ annotateSchema: 'yes' })).toThrow(/graphql\.annotateSchema/);
  });
});
