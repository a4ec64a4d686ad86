import type { Server } from 'node:http';
import { httpContextOf, type HttpContextSettings } from '../contexts/http/http-context.js';
import { markFastifyParsersRegistered } from '../nest-internals.js';
import { guardFastifyRouter } from './fastify-router-guard.js';
import type { RawRequest, RawResponse } from './raw-http.js';
import { parseRequestBody } from './request-body.js';
import { armRequestDeadline } from './request-deadline.js';
import type { ResolvedTransport } from './resolved-transport.js';
import { writeRawProblem } from './raw-problem.js';
import { markStreamedBody, type StreamedBodyRoutes } from './streamed-body.js';
import { toBastionException } from './to-bastion-exception.js';
import { applyTransportPolicy } from './transport-policy.js';

interface FastifyLike {
  server: Server;
  initialConfig: { maxParamLength?: number; routerOptions?: { maxParamLength?: number } };
  addHook(name: 'onRequest', hook: (request: { raw: RawRequest }, reply: { raw: RawResponse; hijack(): void }, done: (error?: Error) => void) => void): unknown;
  addContentTypeParser(type: string, parser: (req: FastifyBodyRequest, payload: unknown, done: (error: unknown, body?: unknown) => void) => void): unknown;
}

// The media type a streamed request carries between Bastion's `onRequest` hook and its own no-op parser
// (Fastify picks parsers by content type only, and every other parser reads the whole body first).
const STREAMED_TYPE = 'application/x-bastion-streamed-body';
const ORIGINAL_TYPE = Symbol('bastion.originalContentType');

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
  raw?: RawRequest & { [ORIGINAL_TYPE]?: string | undefined };
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
export function configureFastify(adapter: FastifyAdapterLike, t: ResolvedTransport, settings: HttpContextSettings, streamed?: StreamedBodyRoutes): void {
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
  // `*` also makes Nest's adapter skip its own JSON and form parsers (see `markFastifyParsersRegistered`).
  adapter.useBodyParser(['application/json', 'text/plain', 'application/x-www-form-urlencoded', '*'], true, { bodyLimit: t.limits.bodyBytes }, parser);
  markFastifyParsersRegistered(adapter);
  const fastify = adapter.getInstance();
  if (streamed !== undefined) {
    // Reads nothing: the handler streams the body on. The client's Content-Type is put back.
    fastify.addContentTypeParser(STREAMED_TYPE, (req, _payload, done) => {
      const original = req.raw?.[ORIGINAL_TYPE];
      if (original === undefined) delete req.headers['content-type'];
      else req.headers['content-type'] = original;
      done(null, undefined);
    });
  }
  // Fastify's default is 100 (find-my-way); a routerOptions value wins, as in Nest's adapter.
  guardFastifyRouter(fastify.server, fastify.initialConfig.routerOptions?.maxParamLength ?? fastify.initialConfig.maxParamLength ?? 100, t.headers);
  // Not async: an `async` hook costs a promise and a microtask hop per request.
  fastify.addHook('onRequest', (request, reply, done) => {
    try {
      const ctx = httpContextOf(request, settings);
      armRequestDeadline(request.raw, reply.raw, t.timeouts.request, t.headers, ctx.id);
      const claim = streamed?.claim(request.raw) ?? 'none';
      if (claim === 'stream') markStreamedBody(request.raw);
      if (applyTransportPolicy(ctx, reply.raw, t)) reply.hijack();
      else if (claim !== 'none') claimStream(claim, request.raw, reply, t, ctx.id);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  });
}

function claimStream(claim: 'stream' | 'reject', raw: RawRequest & { [ORIGINAL_TYPE]?: string | undefined }, reply: { raw: RawResponse; hijack(): void }, t: ResolvedTransport, requestId: string): void {
  if (claim === 'reject') {
    writeRawProblem(reply.raw, 'ERR_BAD_REQUEST', t.headers, requestId);
    reply.hijack();
  } else if (raw.headers['content-type'] !== STREAMED_TYPE) {
    raw[ORIGINAL_TYPE] = first(raw.headers['content-type']);
    raw.headers['content-type'] = STREAMED_TYPE;
  }
}
