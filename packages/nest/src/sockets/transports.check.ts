import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import { BastionGraphql } from '../graphql/bastion-graphql.service.js';
import { webSocketAdapterOf } from '../nest-internals.js';
import { BastionConfigError } from '../options/assert.js';
import { isSecuredAdapter } from './secure-websocket-adapter.js';

/**
 * Refuses to start an app whose resolvers or gateways Bastion could not protect: GraphQL resolvers
 * with a `GraphQLModule` not configured through `BastionGraphql` (no limits, no subscription
 * authentication, driver error messages), or gateways served by a WebSocket adapter not wrapped by
 * `secureWebSocketAdapter` (handshakes never authenticated, so every message would be refused).
 */
@Injectable()
export class TransportsCheck implements OnApplicationBootstrap {
  constructor(
    private readonly routes: RouteSecurityMap,
    private readonly graphql: BastionGraphql,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    const rows = this.routes.routes();
    if (rows.some((r) => r.transport === 'graphql') && !this.graphql.configured) {
      throw new BastionConfigError('BastionGraphql', 'GraphQL resolvers found, but GraphQLModule was not configured through BastionGraphql: use GraphQLModule.forRootAsync({ driver, inject: [BastionGraphql], useFactory: (bastion) => bastion.apollo({ … }) }) (or bastion.mercurius)');
    }
    if (rows.some((r) => r.transport === 'ws') && !isSecuredAdapter(webSocketAdapterOf(this.moduleRef))) {
      throw new BastionConfigError('secureWebSocketAdapter', 'WebSocket gateways found, but the WebSocket adapter is not secured: call app.useWebSocketAdapter(secureWebSocketAdapter(app, new IoAdapter(app))) (or new WsAdapter(app)) before app.init()/app.listen()');
    }
  }
}
