import { describe, expect, it } from 'vitest';
import { auditWorkspace } from '../../src/audit/audit.js';
import type { AuditReport } from '../../src/report/types.js';
import { row, workspaceOf } from '../helpers/project.js';

const guard = `import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {}
`;

const handlers = `import { Controller, Module, UseGuards } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Mutation, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { Public, RequireScopes } from '@bastion/nest';
import { JwtAuthGuard } from './jwt-auth.guard';

@Resolver(() => Order)
export class OrdersResolver {
  @Query(() => [Order]) orders() { return []; }
  @Mutation(() => Order, { name: 'placeOrder' }) place() { return {}; }
  @Subscription(() => Order) orderPlaced() { return undefined; }
  @ResolveField('secret') @RequireScopes('orders:secret') secretField() { return ''; }
  @ResolveField() label() { return ''; }
}
export class Order {}

@WebSocketGateway({ namespace: 'events' })
export class EventsGateway {
  @SubscribeMessage('message') message() { return 'x'; }
  @SubscribeMessage('ping') @Public() ping() { return 'pong'; }
}

@WebSocketGateway()
@UseGuards(JwtAuthGuard)
export class GuardedGateway {
  @SubscribeMessage('post') post() { return 'x'; }
}

@Controller()
export class MathController {
  @MessagePattern({ cmd: 'sum' }) sum() { return 0; }
  @EventPattern('orders.placed') placed() { return undefined; }
}

@Module({ controllers: [MathController], providers: [OrdersResolver, EventsGateway, GuardedGateway, { provide: APP_GUARD, useClass: JwtAuthGuard }] })
export class AppModule {}
`;

function auditOf(files: Record<string, string>, versions: Record<string, string> = {}): AuditReport {
  const ws = workspaceOf(files);
  ws.info.versions = new Map(Object.entries(versions));
  return auditWorkspace(ws);
}

const base = { 'jwt-auth.guard.ts': guard, 'app.ts': handlers };
const microservice = (second: string) => `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app';
async function main() {
  const app = await NestFactory.create(AppModule);
  app.connectMicroservice({ port: 3001 }${second});
}
void main();
`;

describe('audit: resolvers, gateways and message handlers', () => {
  it('lists them as operations with their kind, and a field resolver only when it states a decision', () => {
    const r = auditOf(base);
    const ops = r.routes.filter((x) => x.transport !== undefined).map((x) => `${x.method} ${x.path} ${x.handler} ${x.transport}`);
    expect(ops).toEqual([
      'QUERY Query.orders OrdersResolver.orders graphql',
      'MUTATION Mutation.placeOrder OrdersResolver.place graphql',
      'SUBSCRIPTION Subscription.orderPlaced OrdersResolver.orderPlaced graphql',
      'FIELD Order.secret OrdersResolver.secretField graphql',
      'MESSAGE ws:events/message EventsGateway.message ws',
      'MESSAGE ws:events/ping EventsGateway.ping ws',
      'MESSAGE ws:post GuardedGateway.post ws',
      "MESSAGE rpc:{cmd:'sum'} MathController.sum rpc",
      'EVENT rpc:orders.placed MathController.placed rpc',
    ]);
    expect(row(r, 'FIELD', 'Order.secret').protection).toMatchObject({ kind: 'requirement', scopes: ['orders:secret'] });
  });

  it('applies global guards to resolvers and standalone microservices, never to gateways before @nestjs/websockets 12', () => {
    const r = auditOf(base, { '@nestjs/websockets': '^11.1.0' });
    expect(row(r, 'QUERY', 'Query.orders').protection.kind).toBe('global-guard');
    expect(row(r, 'MESSAGE', "rpc:{cmd:'sum'}").protection.kind).toBe('global-guard');
    const open = row(r, 'MESSAGE', 'ws:events/message').protection;
    expect(open.kind).toBe('none');
    expect(open.app.notApplied?.[0]).toContain('global guards do not run for WebSocket gateways (@nestjs/websockets ^11.1.0');
    const finding = r.findings.find((f) => f.rule === 'unprotected-route' && f.handler === 'EventsGateway.message');
    expect(finding?.message).toContain('MESSAGE ws:events/message (EventsGateway.message) has no authenticating guard');
    expect(finding?.message).toContain('not run here: JwtAuthGuard');
    expect(row(r, 'MESSAGE', 'ws:post').protection.kind).toBe('class-guard');
    expect(row(r, 'MESSAGE', 'ws:events/ping').protection.kind).toBe('public');
  });

  it('applies them to gateways from @nestjs/websockets 12 on', () => {
    const r = auditOf(base, { '@nestjs/websockets': '^12.1.1' });
    expect(row(r, 'MESSAGE', 'ws:events/message').protection.kind).toBe('global-guard');
  });

  it("does not apply them to a hybrid app's microservice unless it inherits the app's configuration", () => {
    const hybrid = auditOf({ ...base, 'main.ts': microservice('') });
    const sum = row(hybrid, 'MESSAGE', "rpc:{cmd:'sum'}").protection;
    expect(sum.kind).toBe('none');
    expect(sum.app.notApplied?.[0]).toMatch(/connectMicroservice\(\) without \{ inheritAppConfig: true \} \(src\/main\.ts:5\)/);
    const inherited = auditOf({ ...base, 'main.ts': microservice(', { inheritAppConfig: true }') });
    expect(row(inherited, 'MESSAGE', "rpc:{cmd:'sum'}").protection.kind).toBe('global-guard');
  });

  it("under BastionModule, every handler without a decision is missing one; Bastion's own guards reach gateways", () => {
    const files = {
      'app.ts': `import { Module } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { BastionModule } from '@bastion/nest';
@WebSocketGateway()
export class ChatGateway {
  @SubscribeMessage('post') post() { return 'x'; }
}
@Module({ imports: [BastionModule.forRoot({})], providers: [ChatGateway] })
export class AppModule {}
`,
    };
    const r = auditOf(files);
    expect(row(r, 'MESSAGE', 'ws:post').protection.kind).toBe('bastion-default');
    expect(r.findings.filter((f) => f.rule === 'missing-access-decision').map((f) => f.handler)).toEqual(['ChatGateway.post']);
  });

  it('does not count middleware on the GraphQL endpoint as protecting resolvers (graphql-ws bypasses it); subscriptions get none', () => {
    const files = {
      'auth.middleware.ts': `import { Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  use(req: { user?: unknown }, _res: unknown, next: () => void) {
    if (!req.user) throw new UnauthorizedException();
    next();
  }
}
`,
      'app.ts': `import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { Query, Resolver, Subscription } from '@nestjs/graphql';
import { AuthMiddleware } from './auth.middleware';
@Resolver()
export class FeedResolver {
  @Query(() => String) feed() { return ''; }
  @Subscription(() => String) posted() { return undefined; }
}
@Module({ providers: [FeedResolver] })
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(AuthMiddleware).forRoutes('*');
  }
}
`,
    };
    const r = auditOf(files);
    const feed = row(r, 'QUERY', 'Query.feed').protection;
    expect(feed.kind).toBe('unknown');
    expect(feed.source).toContain('not for operations sent over a WebSocket (graphql-ws)');
    expect(row(r, 'SUBSCRIPTION', 'Subscription.posted').protection.kind).toBe('none');
  });

  it('recognises GraphQL and microservice entry points by name', () => {
    const files = {
      'app.ts': `import { Controller } from '@nestjs/common';
import { Mutation, Resolver } from '@nestjs/graphql';
import { MessagePattern } from '@nestjs/microservices';
@Resolver()
export class AuthResolver {
  @Mutation(() => String) signUp() { return ''; }
}
@Controller()
export class AuthHandlers {
  @MessagePattern({ cmd: 'login' }) login() { return ''; }
}
`,
    };
    const r = auditOf(files);
    expect(row(r, 'MUTATION', 'Mutation.signUp').protection).toMatchObject({ kind: 'public-by-design', entryPoint: { kind: 'register', basis: 'name' } });
    expect(row(r, 'MESSAGE', "rpc:{cmd:'login'}").protection).toMatchObject({ kind: 'public-by-design', entryPoint: { kind: 'login', basis: 'name' } });
  });
});
