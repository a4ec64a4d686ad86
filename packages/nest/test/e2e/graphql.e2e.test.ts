import { Injectable, Module, type Type } from '@nestjs/common';
import { ApolloDriver } from '@nestjs/apollo';
import { Args, Field, GraphQLModule, GraphQLSchemaHost, Mutation, ObjectType, Query, Resolver, Subscription } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { MercuriusDriver } from '@nestjs/mercurius';
import { EventEmitter, on } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionGraphql, BastionModule, CurrentPrincipal, Public, RequireScopes, RevocationService, UsePolicy, type BastionOptions, type Policy, type PolicyContext, type Principal } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { openGraphqlWs } from '../support/graphql-ws-client.js';
import { capturedAuditEvents } from '../support/log-capture.js';

const placed = new EventEmitter();
placed.setMaxListeners(50);

async function* ordersPlaced(): AsyncGenerator<{ orderPlaced: { id: string; owner: string } }> {
  for await (const [order] of on(placed, 'order')) yield { orderPlaced: order as { id: string; owner: string } };
}

@Injectable()
class OwnOrderPolicy implements Policy {
  readonly onDeny = 'not-found' as const;
  evaluate({ principal, params }: PolicyContext) {
    return params.id === `order-of-${principal.subject}`;
  }
}

// Code-first (Apollo).
@ObjectType()
class Order {
  @Field() id!: string;
  @Field() owner!: string;
  @Field(() => Order, { nullable: true }) related?: Order;
}

const order = (id: string): Order => ({ id, owner: 'alice', related: { id: `${id}-r`, owner: 'alice', related: { id: `${id}-rr`, owner: 'alice', related: { id: `${id}-rrr`, owner: 'alice' } } } });

@Resolver(() => Order)
class CodeFirstResolver {
  @Query(() => String) @Public() hello(@CurrentPrincipal() principal?: Principal) { return principal ? `hi ${principal.subject}` : 'hi'; }
  @Query(() => [Order], { nullable: true }) @RequireScopes('orders:read') orders() { return [order('1')]; }
  @Query(() => Order, { nullable: true }) @Authenticated() @UsePolicy(OwnOrderPolicy) order(@Args('id') id: string) { return order(id); }
  @Query(() => String, { nullable: true }) @Public() broken(): string { throw new Error('connection to postgres://app:hunter2@db failed'); }
  @Mutation(() => Order) @RequireScopes('orders:write') placeOrder(@Args('id') id: string) { const o = { id, owner: 'alice' }; placed.emit('order', o); return o; }
  @Subscription(() => Order) @RequireScopes('orders:read') orderPlaced() { return ordersPlaced(); }
}

// Schema-first (Mercurius).
const typeDefs = `
  type Order { id: String! owner: String! related: Order }
  type Query { hello: String! orders: [Order!] order(id: String!): Order broken: String }
  type Mutation { placeOrder(id: String!): Order! }
  type Subscription { orderPlaced: Order! }
`;

@Resolver()
class SchemaFirstResolver {
  @Query() @Public() hello(@CurrentPrincipal() principal?: Principal) { return principal ? `hi ${principal.subject}` : 'hi'; }
  @Query() @RequireScopes('orders:read') orders() { return [order('1')]; }
  @Query() @Authenticated() @UsePolicy(OwnOrderPolicy) order(@Args('id') id: string) { return order(id); }
  @Query() @Public() broken(): string { throw new Error('connection to postgres://app:hunter2@db failed'); }
  @Mutation() @RequireScopes('orders:write') placeOrder(@Args('id') id: string) { const o = { id, owner: 'alice' }; placed.emit('order', o); return o; }
  @Subscription() @RequireScopes('orders:read') orderPlaced() { return ordersPlaced(); }
}

const GRAPHQL_LIMITS: BastionOptions['graphql'] = { maxDepth: 4, maxAliases: 3, maxCost: 20, maxBatch: 2, introspection: false };

function appModule(driver: 'apollo' | 'mercurius', options: BastionOptions): Type<unknown> {
  const graphql =
    driver === 'apollo'
      ? GraphQLModule.forRootAsync({ driver: ApolloDriver, inject: [BastionGraphql], useFactory: (b: BastionGraphql) => b.apollo({ autoSchemaFile: true, graphiql: false, subscriptions: { 'graphql-ws': true } }) })
      : GraphQLModule.forRootAsync({ driver: MercuriusDriver, inject: [BastionGraphql], useFactory: (b: BastionGraphql) => b.mercurius({ typeDefs, graphiql: false, subscription: true }) });
  @Module({ imports: [BastionModule.forRoot(options), graphql], providers: [driver === 'apollo' ? CodeFirstResolver : SchemaFirstResolver, OwnOrderPolicy] })
  class AppModule {}
  return AppModule;
}

const SETUPS: [string, 'apollo' | 'mercurius', AdapterName][] = [
  ['Apollo (Express, code-first)', 'apollo', 'express'],
  ['Apollo (Fastify, code-first)', 'apollo', 'fastify'],
  ['Mercurius (Fastify, schema-first)', 'mercurius', 'fastify'],
];

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

describe.each(SETUPS)('GraphQL: %s', (_name, driver, adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;

  const gql = async (body: unknown, token?: string, accept = 'application/json') => {
    const res = await fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { res, text, json: JSON.parse(text) as Record<string, any> };
  };
  const codes = (json: Record<string, any>) => (json.errors ?? []).map((e: any) => e.extensions?.code);

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule(driver, { jwt: issuer.options(), graphql: GRAPHQL_LIMITS }), adapter);
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  it('serves a public field to anonymous callers; @CurrentPrincipal() gives a resolver the caller', async () => {
    const { res, json } = await gql({ query: '{ hello }' });
    expect(res.status).toBe(200);
    expect(json).toEqual({ data: { hello: 'hi' } });
    expect((await gql({ query: '{ hello }' }, await issuer.sign({ sub: 'alice' }))).json).toEqual({ data: { hello: 'hi alice' } });
  });

  it('anonymous query to a protected resolver: refused as a whole, 401 on graphql-response+json, 200 with errors on json; one audit event', async () => {
    const plain = await gql({ query: '{ orders { id } }' });
    expect(plain.res.status).toBe(200);
    expect(plain.json.data ?? null).toBeNull();
    expect(codes(plain.json)).toEqual(['ERR_UNAUTHENTICATED']);
    const spec = await gql({ query: '{ orders { id } }' }, undefined, GRAPHQL_RESPONSE);
    expect(spec.res.status).toBe(401);
    expect(spec.res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(codes(spec.json)).toEqual(['ERR_UNAUTHENTICATED']);
    const events = capturedAuditEvents().filter((e) => e.requestId === spec.res.headers.get('x-request-id'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'authentication.failed', reason: 'ERR_CREDENTIAL_MISSING' });
  });

  it('an anonymous query mixing public and protected fields gets the public data and a field error', async () => {
    const { res, json } = await gql({ query: '{ hello orders { id } }' });
    expect(res.status).toBe(200);
    expect(json.data?.hello).toBe('hi');
    expect(codes(json)).toEqual(['ERR_UNAUTHENTICATED']);
    expect(json.errors[0].path).toEqual(['orders']);
  });

  it('an invalid token is refused before execution: 401 with graphql-response+json, the uniform code', async () => {
    const bad = `${(await issuer.sign({ sub: 'alice', scope: 'orders:read' })).slice(0, -4)}AAAA`;
    const { res, json, text } = await gql({ query: '{ hello }' }, bad, GRAPHQL_RESPONSE);
    expect(res.status).toBe(401);
    expect(codes(json)).toEqual(['ERR_INVALID_TOKEN']);
    expect(text).not.toMatch(/signature|jwt|stack/i);
  });

  it('missing scope: the field is null with ERR_SCOPE_MISSING, other fields resolve', async () => {
    const token = await issuer.sign({ sub: 'alice', scope: 'profile' });
    const { res, json } = await gql({ query: '{ hello orders { id } }' }, token);
    expect(res.status).toBe(200);
    expect(json.data?.hello).toBe('hi alice');
    expect(codes(json)).toEqual(['ERR_SCOPE_MISSING']);
    expect(json.errors[0].message).toBe('Forbidden');
    const denied = capturedAuditEvents().filter((e) => e.requestId === res.headers.get('x-request-id'));
    expect(denied.map((e) => e.reason)).toEqual(['ERR_SCOPE_MISSING']);
    expect(denied[0]).toMatchObject({ type: 'authorization.denied', route: 'Query.orders', method: 'QUERY' });
  });

  it('a scoped caller gets the data', async () => {
    const token = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
    const { json } = await gql({ query: '{ orders { id owner } }' }, token);
    expect(json).toEqual({ data: { orders: [{ id: '1', owner: 'alice' }] } });
  });

  it('policy denial is answered not-found style (ERR_NOT_FOUND), the policy sees the field arguments', async () => {
    const token = await issuer.sign({ sub: 'alice' });
    const mine = await gql({ query: '{ order(id: "order-of-alice") { id } }' }, token);
    expect(mine.json.data?.order).toEqual({ id: 'order-of-alice' });
    const theirs = await gql({ query: '{ order(id: "order-of-bob") { id } }' }, token);
    expect(codes(theirs.json)).toEqual(['ERR_NOT_FOUND']);
    expect(theirs.json.errors[0].message).toBe('Not Found');
  });

  it('an unexpected resolver error is masked: ERR_INTERNAL, no message, no stack', async () => {
    const { text, json } = await gql({ query: '{ broken }' });
    expect(codes(json)).toEqual(['ERR_INTERNAL']);
    expect(text).not.toMatch(/postgres|hunter2|stack|at .*\.ts/);
  });

  it('depth, alias and cost limits refuse the operation before any resolver runs (ERR_QUERY_LIMIT)', async () => {
    const token = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
    const deep = await gql({ query: '{ orders { related { related { related { related { id } } } } } }' }, token, GRAPHQL_RESPONSE);
    expect(deep.res.status).toBe(400);
    expect(codes(deep.json)).toContain('ERR_QUERY_LIMIT');
    const aliases = await gql({ query: '{ a: hello b: hello c: hello d: hello }' });
    expect(codes(aliases.json)).toContain('ERR_QUERY_LIMIT');
    const costly = await gql({ query: '{ a: orders { id owner related { id owner related { id owner } } } b: orders { id owner related { id owner related { id owner } } } }' }, token);
    expect(codes(costly.json)).toContain('ERR_QUERY_LIMIT');
    expect(costly.json.data ?? null).toBeNull();
  });

  it('batches larger than graphql.maxBatch are refused', async () => {
    const ok = await gql([{ query: '{ hello }' }, { query: '{ hello }' }]);
    expect(ok.res.status).toBe(200);
    const tooMany = await gql([{ query: '{ hello }' }, { query: '{ hello }' }, { query: '{ hello }' }]);
    expect(JSON.stringify(tooMany.json)).toContain('ERR_QUERY_LIMIT');
    expect(JSON.stringify(tooMany.json)).not.toContain('"hello":"hi"');
  });

  it('introspection is off (graphql.introspection: false) and errors carry no field suggestions', async () => {
    const schema = await gql({ query: '{ __schema { types { name } } }' });
    expect(schema.json.data ?? null).toBeNull();
    expect(JSON.stringify(schema.json)).not.toContain('Order');
    const typo = await gql({ query: '{ helo }' });
    expect(JSON.stringify(typo.json)).not.toMatch(/Did you mean/);
  });

  it('the schema the app serves carries each resolver\'s decision from the route map (graphql.annotateSchema)', () => {
    const sdl = printSchema(running.app.get(GraphQLSchemaHost).schema);
    expect(sdl).toContain('"""Bastion: public"""\n  hello: String!');
    expect(sdl).toContain('"""Bastion: scopes orders:read"""\n  orders: [Order!]');
    expect(sdl).toContain('"""Bastion: policy OwnOrderPolicy"""\n  order(id: String!): Order');
    expect(sdl).toContain('"""Bastion: scopes orders:write"""\n  placeOrder(id: String!): Order!');
    expect(sdl).toContain('"""Bastion: scopes orders:read"""\n  orderPlaced: Order!');
    expect(sdl).toContain('"""Bastion: public"""\n  broken: String');
    // Root fields only here: Order's fields state no decision of their own.
    expect(sdl.match(/Bastion: /g)).toHaveLength(6);
  });

  describe('subscriptions over graphql-ws', () => {
    it('a valid token with the scope receives events', async () => {
      const token = await issuer.sign({ sub: 'alice', scope: 'orders:read orders:write' });
      const ws = await openGraphqlWs(`${running.url}/graphql`, { authorization: `Bearer ${token}` });
      await ws.next('connection_ack');
      ws.subscribe('1', 'subscription { orderPlaced { id } }');
      // The subscription is registered once the server has run its guards; publish until it arrives.
      const received = ws.next('next');
      for (let i = 0; i < 50 && ws.messages.every((m) => m.type !== 'next'); i++) {
        await gql({ query: `mutation { placeOrder(id: "s${i}") { id } }` }, token);
        await new Promise((r) => setImmediate(r));
      }
      expect((await received).payload.data.orderPlaced.id).toMatch(/^s\d+$/);
      ws.close();
    });

    it('an expired token is refused at connection_init with close code 4401; never the URL query', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await issuer.sign({ sub: 'alice', scope: 'orders:read', iat: now - 600, exp: now - 300 });
      const ws = await openGraphqlWs(`${running.url}/graphql`, { authorization: `Bearer ${expired}` });
      expect((await ws.closed).code).toBe(4401);
      const valid = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
      const viaQuery = await openGraphqlWs(`${running.url}/graphql?access_token=${valid}`, undefined);
      expect((await viaQuery.closed).code).toBe(4401);
    });

    it('a subscription without the scope is refused; revoked mid-stream the socket closes with 4403', async () => {
      const noScope = await issuer.sign({ sub: 'bob' });
      const a = await openGraphqlWs(`${running.url}/graphql`, { authorization: `Bearer ${noScope}` });
      await a.next('connection_ack');
      a.subscribe('1', 'subscription { orderPlaced { id } }');
      // graphql-ws: `next` with the errors then `complete` (Apollo), or `error` (Mercurius).
      const refused = await Promise.race([a.next('next'), a.next('error')]);
      expect(JSON.stringify(refused.payload)).toContain('ERR_SCOPE_MISSING');
      a.close();

      const jti = `sub-${driver}-${adapter}`;
      const token = await issuer.sign({ sub: 'carol', scope: 'orders:read', jti });
      const b = await openGraphqlWs(`${running.url}/graphql`, { authorization: `Bearer ${token}` });
      await b.next('connection_ack');
      b.subscribe('1', 'subscription { orderPlaced { id } }');
      await running.app.get(RevocationService).revokeToken(jti, new Date(Date.now() + 300_000));
      expect((await b.closed).code).toBe(4403);
      expect(capturedAuditEvents().some((e) => e.reason === 'ERR_TOKEN_REVOKED' && e.details?.connection === 'closed')).toBe(true);
    });
  });
});
