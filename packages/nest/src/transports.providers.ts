import type { Provider } from '@nestjs/common';
import { HandlerChainInstaller } from './authorization/handler-chain.installer.js';
import { BastionGraphql } from './graphql/bastion-graphql.service.js';
import { ConnectionAuthenticator } from './sockets/connection-authenticator.service.js';
import { SocketSessions } from './sockets/socket-sessions.service.js';
import { TransportsCheck } from './sockets/transports.check.js';

/** GraphQL, WebSocket and microservice support: connection authentication and watching, the GraphQL wiring, Bastion's guards on message handlers, the boot check. */
export const TRANSPORT_PROVIDERS: Provider[] = [SocketSessions, ConnectionAuthenticator, BastionGraphql, HandlerChainInstaller, TransportsCheck];
