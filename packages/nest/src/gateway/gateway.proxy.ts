import { Inject, Injectable, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { httpContextOf } from '../contexts/http/http-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BastionException } from '../errors/bastion.exception.js';
import { isStreamedBody, type StreamedBodyRoutes } from '../transport/streamed-body.js';
import { useFastifyWildcards } from './gateway-controller.js';
import { forwardRequest, type CallerResponse } from './forward-request.js';
import { isSafeGatewayPath, pathOf, underPrefix } from './gateway-path.js';
import { UpstreamClient } from './upstream-client.js';
import type { ResolvedGateway } from './validate-gateway-options.js';

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
export class GatewayProxy implements StreamedBodyRoutes, OnApplicationShutdown {
  private readonly clients = new Map<string, UpstreamClient>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly gateway: ResolvedGateway,
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
    @Inject(GATEWAY_CONTROLLERS) controllers: readonly Type<unknown>[],
    adapterHost: HttpAdapterHost,
  ) {
    // Providers are built before routes are registered: the wildcard syntax can still follow the adapter.
    if (adapterHost.httpAdapter?.getType() === 'fastify') useFastifyWildcards(controllers);
    for (const upstream of gateway.upstreams) this.clients.set(upstream.name, new UpstreamClient(upstream));
  }

  claim(req: IncomingMessage): 'stream' | 'reject' | 'none' {
    const path = pathOf(req.url ?? '/');
    for (const upstream of this.gateway.upstreams) {
      if (underPrefix(path, upstream.prefix)) return isSafeGatewayPath(path) ? 'stream' : 'reject';
    }
    return 'none';
  }

  /** Forwards the request of a gateway route (Express or Fastify request and response). */
  async forward(name: string, req: object, res: object): Promise<void> {
    const raw = ((req as { raw?: IncomingMessage }).raw ?? req) as IncomingMessage;
    // Without `configureBastion(app)` the body would have been parsed (or not read at all): fail closed.
    if (!isStreamedBody(raw)) throw new BastionException('ERR_INTERNAL', { reason: 'ERR_GATEWAY_NOT_CONFIGURED' });
    const ctx = httpContextOf(req, this.config);
    await forwardRequest(this.clients.get(name)!, raw, { requestId: ctx.id, client: ctx.client, stripRequestHeaders: this.gateway.stripRequestHeaders }, callerResponse(res as ServerResponse));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }
}
