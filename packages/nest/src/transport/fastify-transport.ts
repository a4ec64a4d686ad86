import type { Server } from 'node:http';
import { guardFastifyRouter } from './fastify-router-guard.js';
import type { RawRequest, RawResponse } from './raw-http.js';
import { parseRequestBody } from './request-body.js';
import { armRequestDeadline } from './request-deadline.js';
import type { ResolvedTransport } from './resolved-transport.js';
import { toBastionException } from './to-bastion-exception.js';
import { applyTransportPolicy } from './transport-policy.js';

interface FastifyLike {
  server: Server;
  initialConfig: { maxParamLength?: number; routerOptions?: { maxParamLength?: number } };
  addHook(name: 'onRequest', hook: (request: { raw: RawRequest }, reply: { raw: RawResponse; hijack(): void }) => Promise<void>): unknown;
}

interface FastifyAdapterLike {
  getInstance(): FastifyLike;
  useBodyParser(
    type: string | string[],
    rawBody: boolean,
    options: { bodyLimit: number },
    parser: (req: FastifyBodyRequest, body: Buffer, done: (error: unknown, body?: unknown) => void) => void,
  ): void;
}

interface FastifyBodyRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody?: Buffer;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Fastify: one parser for every content type (the built-in JSON and text parsers replaced, so no
 * body is parsed outside Bastion's rules) with the body limit enforced per parser — Fastify's own
 * `bodyLimit` is fixed when the adapter is constructed — and an `onRequest` hook, which runs before
 * body reading and for unknown routes too, for the transport policy and the request deadline.
 */
export function configureFastify(adapter: FastifyAdapterLike, t: ResolvedTransport): void {
  // A `done` callback, not a promise: Nest 12 completes a parser through either, Nest 11 only through `done`.
  const parser = (req: FastifyBodyRequest, raw: Buffer, done: (error: unknown, body?: unknown) => void) => {
    req.rawBody = raw;
    let body: unknown;
    try {
      body = parseRequestBody(raw, { contentType: first(req.headers['content-type']), contentEncoding: first(req.headers['content-encoding']) }, {
        contentTypes: t.contentTypes,
        json: t.limits.json,
        form: t.limits.query,
      });
    } catch (error) {
      done(toBastionException(error));
      return;
    }
    done(null, body);
  };
  // `*` also makes Nest 12's adapter skip its own JSON and form parsers (see `hasCustomBodyParser`);
  // Nest 11 only checks its private `_isParserRegistered` flag, and would otherwise add a second JSON
  // parser at `init()`, which Fastify refuses (FST_ERR_CTP_ALREADY_PRESENT).
  adapter.useBodyParser(['application/json', 'text/plain', 'application/x-www-form-urlencoded', '*'], true, { bodyLimit: t.limits.bodyBytes }, parser);
  const legacy = adapter as unknown as { hasCustomBodyParser?: unknown; _isParserRegistered?: boolean };
  if (typeof legacy.hasCustomBodyParser !== 'function') legacy._isParserRegistered = true;
  const fastify = adapter.getInstance();
  // Fastify's default is 100 (find-my-way); a routerOptions value wins, as in Nest's adapter.
  guardFastifyRouter(fastify.server, fastify.initialConfig.routerOptions?.maxParamLength ?? fastify.initialConfig.maxParamLength ?? 100, t.headers);
  fastify.addHook('onRequest', async (request, reply) => {
    armRequestDeadline(request.raw, reply.raw, t.timeouts.request, t.headers);
    if (applyTransportPolicy(request.raw, reply.raw, t)) reply.hijack();
  });
}
