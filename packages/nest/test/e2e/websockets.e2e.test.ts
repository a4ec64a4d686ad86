import { Module, type INestApplication, type Type } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { IsString, MaxLength } from 'class-validator';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionModule, CurrentPrincipal, Public, RequireScopes, type Principal, RevocationService, RouteSecurityError, configureBastion, secureWebSocketAdapter, type BastionOptions } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { capturedAuditEvents } from '../support/log-capture.js';

class TextDto {
  @IsString() @MaxLength(20) text!: string;
}

@WebSocketGateway()
class ChatGateway {
  @SubscribeMessage('typed') @Public() typed(@MessageBody() body: TextDto) { return { event: 'typed', data: body }; }
  @SubscribeMessage('ping') @Public() ping() { return { event: 'pong', data: 'pong' }; }
  @SubscribeMessage('post') @RequireScopes('chat:write') post(@MessageBody() body: object, @CurrentPrincipal() principal: Principal, @ConnectedSocket() _client: unknown) { return { event: 'posted', data: { ...body, from: principal.subject } }; }
}

@WebSocketGateway()
class UndecidedGateway {
  @SubscribeMessage('open') open() { return 'x'; }
}

function appModule(options: BastionOptions, gateway: Type<unknown> = ChatGateway): Type<unknown> {
  @Module({ imports: [BastionModule.forRoot(options)], providers: [gateway] })
  class AppModule {}
  return AppModule;
}

type Flavour = 'socket.io' | 'ws';
const adapterFor = (flavour: Flavour, app: INestApplication) => (flavour === 'socket.io' ? new IoAdapter(app) : new WsAdapter(app));
const secured = (flavour: Flavour) => (app: INestApplication) => {
  configureBastion(app);
  app.useWebSocketAdapter(secureWebSocketAdapter(app, adapterFor(flavour, app)));
};

/**
 * `@nestjs/websockets` 11 binds gateway handlers without the app's global guards (NestJS 12 binds them
 * with): the app below gets none at all, so the gateway is checked only by what Bastion puts on it.
 */
const withoutGlobalGuards = (configure: (app: INestApplication) => void) => (app: INestApplication) => {
  configure(app);
  (app as unknown as { config: { getGlobalGuards(): unknown[] } }).config.getGlobalGuards = () => [];
};

/** A client of either flavour: send a message, collect replies and `exception` events, see the close. */
interface Client {
  send(event: string, data: unknown): void;
  next(event: string): Promise<any>;
  closed: Promise<number | string>;
  close(): void;
}

function connect(flavour: Flavour, url: string, token: string | undefined, via: 'header' | 'subprotocol' | 'auth' = 'header'): Promise<Client | { refused: number | string; data?: any }> {
  const received: { event: string; data: any }[] = [];
  const waiters: { event: string; resolve: (d: any) => void }[] = [];
  const push = (event: string, data: any) => {
    const w = waiters.find((x) => x.event === event);
    if (w) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(data);
    } else received.push({ event, data });
  };
  const next = (event: string) => {
    const i = received.findIndex((r) => r.event === event);
    if (i !== -1) return Promise.resolve(received.splice(i, 1)[0]!.data);
    return new Promise((resolve) => waiters.push({ event, resolve }));
  };
  if (flavour === 'socket.io') {
    const socket: Socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      ...(token && via === 'auth' ? { auth: { token } } : {}),
      ...(token && via === 'header' ? { extraHeaders: { authorization: `Bearer ${token}` } } : {}),
    });
    socket.onAny((event, data) => push(event, data));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ send: (e, d) => socket.emit(e, d), next, closed, close: () => socket.close() }));
      socket.once('connect_error', (error: Error & { data?: any }) => {
        socket.close();
        resolve({ refused: error.message, data: error.data });
      });
    });
  }
  const protocols = token && via === 'subprotocol' ? ['chat', `bearer.${token}`] : undefined;
  const socket = new WebSocket(url.replace(/^http/, 'ws'), protocols, token && via === 'header' ? { headers: { authorization: `Bearer ${token}` } } : {});
  socket.on('message', (raw) => {
    const { event, data } = JSON.parse(String(raw)) as { event: string; data: any };
    push(event, data);
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  return new Promise((resolve) => {
    socket.once('open', () => resolve({ send: (event, data) => socket.send(JSON.stringify({ event, data })), next, closed, close: () => socket.close() }));
    socket.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    socket.once('error', () => undefined);
  });
}

describe.each<[Flavour, AdapterName, boolean]>([
  ['socket.io', 'express', false],
  ['ws', 'fastify', true],
])('WebSocket gateways (%s on %s, global guards removed: %s)', (flavour, adapter, noGlobalGuards) => {
  let issuer: TestIssuer;
  let running: RunningApp;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    // A CORS wildcard (any site may read public answers) must not open the handshake to every site.
    const configure = noGlobalGuards ? withoutGlobalGuards(secured(flavour)) : secured(flavour);
    running = await startApp(appModule({ jwt: issuer.options(), cors: { origins: ['*'] }, throttle: { connection: { limit: 5, ttl: 60_000 } } }), adapter, configure);
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  it('a handshake without a token may use public handlers only', async () => {
    const client = (await connect(flavour, running.url, undefined)) as Client;
    client.send('ping', {});
    expect(await client.next('pong')).toBe('pong');
    client.send('post', { text: 'hi' });
    expect(await client.next('exception')).toMatchObject({ status: 'error', code: 'ERR_UNAUTHENTICATED', statusCode: 401 });
    client.close();
  });

  it('an invalid message body gets the exception event with ERR_VALIDATION, not an internal error echoing it', async () => {
    const client = (await connect(flavour, running.url, undefined)) as Client;
    client.send('typed', { text: 'x'.repeat(30), extra: 'secret-looking' });
    const refused = await client.next('exception');
    expect(refused).toEqual({ status: 'error', code: 'ERR_VALIDATION', message: 'Bad Request', statusCode: 400 });
    client.send('typed', { text: 'ok' });
    expect(await client.next('typed')).toEqual({ text: 'ok' });
    client.close();
  });

  it('a handshake with a bad token is refused before the connection opens (one audit event)', async () => {
    const bad = `${(await issuer.sign({ sub: 'alice', scope: 'chat:write' })).slice(0, -4)}AAAA`;
    const result = (await connect(flavour, running.url, bad)) as { refused: number | string; data?: any };
    if (flavour === 'ws') expect(result.refused).toBe(401);
    else expect(result.data).toMatchObject({ code: 'ERR_INVALID_TOKEN', statusCode: 401 });
    expect(capturedAuditEvents().some((e) => e.type === 'authentication.failed' && e.method === 'CONNECT' && e.reason !== 'ERR_CREDENTIAL_MISSING')).toBe(true);
  });

  it('a good token (header, and the flavour\'s own way) reaches scoped handlers; the query string is never read', async () => {
    const token = await issuer.sign({ sub: 'alice', scope: 'chat:write' });
    for (const via of ['header', flavour === 'ws' ? 'subprotocol' : 'auth'] as const) {
      const client = (await connect(flavour, running.url, token, via)) as Client;
      client.send('post', { text: via });
      expect(await client.next('posted')).toEqual({ text: via, from: 'alice' });
      client.close();
    }
    const viaQuery = (await connect(flavour, `${running.url}?access_token=${token}`, undefined)) as Client;
    viaQuery.send('post', { text: 'q' });
    expect(await viaQuery.next('exception')).toMatchObject({ code: 'ERR_UNAUTHENTICATED' });
    viaQuery.close();
  });

  /** Opens a handshake with extra headers: 101 when accepted, else the refusal's status. */
  const handshake = (headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      if (flavour === 'socket.io') {
        const socket = io(running.url, { transports: ['websocket'], reconnection: false, extraHeaders: headers });
        socket.once('connect', () => (socket.close(), resolve(101)));
        socket.once('connect_error', (error: Error & { data?: { statusCode?: number; code?: string } }) => (socket.close(), resolve(error.data?.code === 'ERR_ORIGIN_NOT_ALLOWED' ? (error.data.statusCode ?? 0) : 0)));
        return;
      }
      const socket = new WebSocket(running.url.replace(/^http/, 'ws'), { headers });
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('open', () => (socket.close(), resolve(101)));
      socket.once('error', () => undefined);
    });

  it('a cross-site Origin is refused at the handshake, even when CORS allows "*"', async () => {
    const token = await issuer.sign({ sub: 'alice', scope: 'chat:write' });
    expect(await handshake({ origin: 'https://evil.example', authorization: `Bearer ${token}` })).toBe(403);
    expect(capturedAuditEvents().some((e) => e.reason === 'ERR_ORIGIN_NOT_ALLOWED')).toBe(true);
  });

  it('the API\'s own origin is allowed as the trusted proxy vouches for it (scheme and host)', async () => {
    const token = await issuer.sign({ sub: 'alice', scope: 'chat:write' });
    // The test client connects from 127.0.0.1, a trusted proxy by default.
    const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com', authorization: `Bearer ${token}` };
    expect(await handshake({ ...proxied, origin: 'https://api.example.com' })).toBe(101);
    expect(await handshake({ forwarded: 'proto=https;host=api.example.com', authorization: `Bearer ${token}`, origin: 'https://api.example.com' })).toBe(101);
    // Same host, other scheme: another origin.
    expect(await handshake({ ...proxied, origin: 'http://api.example.com' })).toBe(403);
  });

  it('a message flood is throttled per connection (ERR_RATE_LIMITED)', async () => {
    const token = await issuer.sign({ sub: `flood-${flavour}`, scope: 'chat:write' });
    const client = (await connect(flavour, running.url, token)) as Client;
    for (let i = 0; i < 8; i++) client.send('post', { i });
    for (let i = 0; i < 5; i++) await client.next('posted');
    expect(await client.next('exception')).toMatchObject({ code: 'ERR_RATE_LIMITED', statusCode: 429 });
    client.close();
  });

  it('revocation closes the connection', async () => {
    const jti = `ws-${flavour}`;
    const token = await issuer.sign({ sub: 'dave', scope: 'chat:write', jti });
    const client = (await connect(flavour, running.url, token)) as Client;
    client.send('post', { text: 'before' });
    expect(await client.next('posted')).toEqual({ text: 'before', from: 'dave' });
    await running.app.get(RevocationService).revokeToken(jti, new Date(Date.now() + 300_000));
    const closed = await client.closed;
    if (flavour === 'ws') expect(closed).toBe(4403);
    else expect(closed).toBe('io server disconnect');
    expect(capturedAuditEvents().some((e) => e.reason === 'ERR_TOKEN_REVOKED' && e.details?.transport === 'ws')).toBe(true);
  });

  it('a handler without a decision stops the app at boot', async () => {
    await expect(startApp(appModule({ jwt: issuer.options() }, UndecidedGateway), adapter, secured(flavour))).rejects.toThrow(RouteSecurityError);
  });

  it('a gateway on an adapter Bastion does not secure stops the app at boot', async () => {
    await expect(
      startApp(appModule({ jwt: issuer.options() }), adapter, (app) => {
        configureBastion(app);
        app.useWebSocketAdapter(adapterFor(flavour, app));
      }),
    ).rejects.toThrow(/secureWebSocketAdapter/);
  });
});
