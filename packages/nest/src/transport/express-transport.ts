import { httpContextOf, type HttpContextSettings } from '../contexts/http/http-context.js';
import { EXPRESS_PARSER_NAMES } from '../nest-internals.js';
import { parseQueryString } from './query-string.js';
import { hasBody, type RawRequest, type RawResponse } from './raw-http.js';
import { readBody } from './read-body.js';
import { parseRequestBody } from './request-body.js';
import { armRequestDeadline } from './request-deadline.js';
import type { ResolvedTransport } from './resolved-transport.js';
import { markStreamedBody, type StreamedBodyRoutes } from './streamed-body.js';
import { toBastionException } from './to-bastion-exception.js';
import { stripFingerprintHeadersOf } from './security-headers.js';
import { applyTransportPolicy } from './transport-policy.js';
import { writeRawProblem } from './raw-problem.js';

interface ExpressApp {
  /** The prototype Express gives every response of this app (public: `app.response`). */
  response: RawResponse;
  disable(setting: string): unknown;
  set(setting: string, value: unknown): unknown;
  use(...handlers: unknown[]): unknown;
}

type Next = (error?: unknown) => void;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Gives a middleware the function name Nest's `ExpressAdapter` looks for (see `nest-internals.ts`). */
function named<T extends object>(name: string, fn: T): T {
  return Object.defineProperty(fn, 'name', { value: name });
}

/**
 * Express: no `X-Powered-By` (and every fingerprinting header stripped at `writeHead`, through the app's
 * response prototype), Bastion's query parser (flat, limited, rejecting prototype keys) and one
 * early middleware that builds the request context, applies the transport policy, arms the request
 * deadline and reads the body. It carries the name of Nest's JSON parser and a no-op carries the name
 * of its form parser, which is how Nest's `ExpressAdapter` recognises parsers already applied: it then
 * registers neither of its own (body-parser's `qs`-based extended form parsing and its 100 kB default
 * never run).
 */
export function configureExpress(app: ExpressApp, t: ResolvedTransport, settings: HttpContextSettings, streamed?: StreamedBodyRoutes): void {
  app.disable('x-powered-by');
  // Once for every response of the app, instead of a wrapper put on each response (see applyTransportPolicy).
  stripFingerprintHeadersOf(app.response);
  app.set('query parser', (raw: string) => parseQueryString(raw, t.limits.query));
  const body = (req: RawRequest & { _body?: boolean }, res: RawResponse, next: Next) => {
    try {
      const ctx = httpContextOf(req, settings);
      armRequestDeadline(req, res, t.timeouts.request, t.headers, ctx.id);
      const claim = streamed?.claim(req) ?? 'none';
      if (claim === 'stream') markStreamedBody(req);
      if (applyTransportPolicy(ctx, res, t)) return;
      if (claim === 'reject') {
        writeRawProblem(res, 'ERR_BAD_REQUEST', t.headers, ctx.id);
        return;
      }
      if (claim === 'stream') {
        next();
        return;
      }
    } catch (error) {
      next(error);
      return;
    }
    // A labelled empty body of a method that carries one still goes through the parser (an empty JSON
    // text is malformed), as on Fastify.
    if (!hasBody(req) && (req.headers['content-type'] === undefined || !BODY_METHODS.has(req.method ?? ''))) {
      next();
      return;
    }
    readBody(req, t.limits.bodyBytes).then(
      (raw) => {
        try {
          req.rawBody = raw;
          // body-parser's marker: any parser the app adds later skips a body already read.
          req._body = true;
          req.body = parseRequestBody(raw, { contentType: req.headers['content-type'], contentEncoding: req.headers['content-encoding'] }, {
            contentTypes: t.contentTypes,
            json: t.limits.json,
            form: t.limits.query,
          });
          next();
        } catch (error) {
          next(toBastionException(error));
        }
      },
      (error: unknown) => {
        // The unread rest of an oversized body must not be taken for the next request.
        res.setHeader('Connection', 'close');
        next(toBastionException(error));
      },
    );
  };
  app.use(named(EXPRESS_PARSER_NAMES.json, body));
  app.use(named(EXPRESS_PARSER_NAMES.urlencoded, (_req: unknown, _res: unknown, next: Next) => next()));
}
