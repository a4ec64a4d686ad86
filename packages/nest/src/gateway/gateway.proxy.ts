import { Inject, Injectable, VersioningType, type OnApplicationBootstrap, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { httpContextOf } from '../contexts/http/http-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BastionException } from '../errors/bastion.exception.js';
import { applicationConfigOf } from '../nest-internals.js';
import { BastionConfigError } from '../options/assert.js';
import { isStreamedBody, type StreamedBodyRoutes } from '../transport/streamed-body.js';
import { useFastifyWildcards } from './gateway-controller.js';
import { forwardRequest, type CallerResponse } from './forward-request.js';
import { isSafeGatewayPath, pathOf, underPrefix } from './gateway-path.js';
import { UpstreamClient } from './upstream-client.js';
import type { ResolvedGateway, ResolvedUpstream } from './validate-gateway-options.js';

/** Injection token of the validated gateway options. */
export const GATEWAY_CONFIG: unique symbol = Symbol('bastion.gatewayConfig');
/** Injection token of the gateway's generated controllers. */
export const GATEWAY_CONTROLLERS: unique symbol = Symbol('bastion.gatewayControllers');

interface FastifyReplyLike {
  raw: ServerResponse;
  hijack(): void;
  getHeaders(): Record<string, string | number | string[] | undefined>;
}

function isFastifyReply(res: object): res is FastifyReplyLike {
  return typeof (res as { hijack?: unknown }).hijack === 'function' && (res as { raw?: unknown }).raw !== undefined;
}

/** The caller's response of either adapter, as the forwarder writes it. */
function callerResponse(res: ServerResponse | FastifyReplyLike): CallerResponse {
  const fastify = isFastifyReply(res) ? res : undefined;
  const raw = fastify ? fastify.raw : (res as ServerResponse);
  return {
    hasHeader: (name) => raw.hasHeader(name) || (fastify !== undefined && fastify.getHeaders()[name] !== undefined),
    start: (status: number, headers: OutgoingHttpHeaders) => {
      if (fastify) {
        // Headers Bastion set through Fastify (rate-limit fields) go out with the raw response.
        for (const [name, value] of Object.entries(fastify.getHeaders())) if (value !== undefined) raw.setHeader(name, value);
        fastify.hijack();
      }
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) raw.setHeader(name, value);
      raw.writeHead(status);
      return raw;
    },
    onClose: (listener) => {
      raw.once('close', () => {
        if (!raw.writableFinished) listener();
      });
    },
  };
}

/**
 * The gateway's runtime: one `UpstreamClient` per upstream, the forwarding of every gateway
 * route, and the transport's `StreamedBodyRoutes` — gateway paths keep their bodies unread for
 * streaming, and an unsafe gateway path is refused before any route matches.
 */
@Injectable()
export class GatewayProxy implements StreamedBodyRoutes, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly clients = new Map<string, UpstreamClient>();
  /** Each upstream's prefix under the app's global prefix (`/api/orders`, lower-case); empty without one. */
  private prefixed: ReadonlyMap<ResolvedUpstream, string> = new Map();
  /** Whether gateway routes may be served without the global prefix: there is none, or the app excludes routes from it. */
  private unprefixed = true;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly gateway: ResolvedGateway,
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
    @Inject(GATEWAY_CONTROLLERS) controllers: readonly Type<unknown>[],
    adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
  ) {
    // Providers are built before routes are registered: the wildcard syntax can still follow the adapter.
    if (adapterHost.httpAdapter?.getType() === 'fastify') useFastifyWildcards(controllers);
    for (const upstream of gateway.upstreams) this.clients.set(upstream.name, new UpstreamClient(upstream));
  }

  /**
   * `app.setGlobalPrefix()` comes before `init()`, which registers the routes and then calls this hook: the
   * prefix read here is the one the gateway's routes were registered under.
   */
  onApplicationBootstrap(): void {
    const app = applicationConfigOf(this.moduleRef);
    const prefix = (app?.getGlobalPrefix?.() ?? '').replace(/^\/+|\/+$/g, '');
    this.prefixed = new Map(prefix === '' ? [] : this.gateway.upstreams.map((u) => [u, `/${prefix.toLowerCase()}${u.prefix}`]));
    this.unprefixed = prefix === '' || (app?.getGlobalPrefixOptions?.().exclude?.length ?? 0) > 0;
    // URI versioning with a default version puts every route without its own version under `/v<n>`: gateway
    // routes would be served at paths the gateway does not claim (their bodies parsed, its path check skipped).
    const versioning = app?.getVersioning?.();
    const defaults = versioning?.type === VersioningType.URI ? [versioning.defaultVersion].flat() : [];
    if (defaults.some((v) => typeof v === 'string')) {
      throw new BastionConfigError('enableVersioning().defaultVersion', 'puts the gateway\'s routes under a version segment: with URI versioning the gateway needs no defaultVersion (or VERSION_NEUTRAL)');
    }
  }

  /**
   * The path prefix `path` reached an upstream's routes by: the global prefix and the upstream's prefix, or the
   * upstream's prefix alone (no global prefix, or routes excluded from it: Nest decides that per route pattern,
   * so both forms are claimed then; a path under the form a route is not registered at is refused or 404s).
   */
  private routePrefix(path: string, upstream: ResolvedUpstream): string | undefined {
    const prefixed = this.prefixed.get(upstream);
    if (prefixed !== undefined && underPrefix(path, prefixed)) return prefixed;
    return this.unprefixed && underPrefix(path, upstream.prefix) ? upstream.prefix : undefined;
  }

  claim(req: IncomingMessage): 'stream' | 'reject' | 'none' {
    const path = pathOf(req.url ?? '/');
    for (const upstream of this.gateway.upstreams) {
      if (this.routePrefix(path, upstream) !== undefined) return isSafeGatewayPath(path) ? 'stream' : 'reject';
    }
    return 'none';
  }

  /** Forwards the request of a gateway route (Express or Fastify request and response). */
  async forward(name: string, req: object, res: object): Promise<void> {
    const raw = ((req as { raw?: IncomingMessage }).raw ?? req) as IncomingMessage;
    // Without `configureBastion(app)` the body would have been parsed (or not read at all): fail closed.
    if (!isStreamedBody(raw)) throw new BastionException('ERR_INTERNAL', { reason: 'ERR_GATEWAY_NOT_CONFIGURED' });
    const client = this.clients.get(name)!;
    // The router matched this route, so the path is under one form of its prefix; anything else fails closed.
    const prefix = this.routePrefix(pathOf(raw.url ?? '/'), client.upstream);
    if (prefix === undefined) throw new BastionException('ERR_INTERNAL', { reason: 'ERR_GATEWAY_PREFIX' });
    const ctx = httpContextOf(req, this.config);
    await forwardRequest(client, raw, { requestId: ctx.id, client: ctx.client, stripRequestHeaders: this.gateway.stripRequestHeaders, prefix }, callerResponse(res as ServerResponse));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }
}
