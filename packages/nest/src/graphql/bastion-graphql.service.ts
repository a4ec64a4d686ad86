import { Inject, Injectable } from '@nestjs/common';
import { requestEventFields } from '../audit/request-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import type { AuthenticationGuard } from '../authentication/authentication.guard.js';
import { AUTHENTICATION_GUARD } from '../authentication/authentication-guard.token.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import { syntheticRoute } from '../authorization/synthetic-route.js';
import type { BastionRequestContext } from '../contexts/bastion-context.js';
import { attachGraphqlSession, graphqlSessionOf } from '../contexts/graphql/graphql-session.js';
import { httpContextOf } from '../contexts/http/http-context.js';
import { headerMap, type SessionContext } from '../contexts/session-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BastionException, UnauthenticatedException } from '../errors/bastion.exception.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { bearerChallenge } from '../errors/problem-details.js';
import { mercuriusConnectionOf } from '../nest-internals.js';
import { ConnectionAuthenticator, closeCodeOf } from '../sockets/connection-authenticator.service.js';
import { formatGraphqlError, requestErrorStatus, wantsGraphqlResponse, type FormattedGraphqlError } from './graphql-errors.js';
import { limitRules } from './graphql-limits.js';
import { needsCredential, rootFields, selectedOperation, type DocumentLike } from './graphql-operation-check.js';
import type { ResolvedGraphqlOptions } from './graphql-options.js';
import { annotateSchema } from './schema-annotations.js';

type AnyOptions = Record<string, any>;
type GraphqlErrorClass = new (message: string, options: { extensions: Record<string, unknown> }) => Error;

/** `connectionParams.authorization` (any case), as the one credential line of a subscription connection. */
function connectionCredential(params: unknown): Map<string, string[]> {
  const entries: [string, string][] = [];
  if (typeof params === 'object' && params !== null) {
    for (const [key, value] of Object.entries(params)) if (key.toLowerCase() === 'authorization' && typeof value === 'string') entries.push(['authorization', value]);
  }
  return headerMap(entries);
}

/**
 * Wires Bastion into `GraphQLModule` for Apollo and Mercurius: use it in `forRootAsync`. It adds the
 * limits (depth, aliases, cost, directives, batch) and the introspection switch as validation rules,
 * checks each request before execution (an invalid credential, or an anonymous caller selecting only
 * protected fields, is refused as a whole: 401 on `application/graphql-response+json`, 200 with
 * `errors` on `application/json`), authenticates subscription connections from `connectionParams`
 * (never the URL) and closes them on expiry (4401) or revocation (4403), and formats every error with
 * Bastion's code in `extensions.code`, masking anything unexpected. Resolvers themselves go through
 * Bastion's guards like routes. An app with resolvers whose GraphQL module was not configured through
 * it stops at boot.
 *
 * @example
 * ```ts
 * GraphQLModule.forRootAsync<ApolloDriverConfig>({
 *   driver: ApolloDriver,
 *   inject: [BastionGraphql],
 *   useFactory: (bastion: BastionGraphql) => bastion.apollo({ autoSchemaFile: true, subscriptions: { 'graphql-ws': true } }),
 * });
 * ```
 */
@Injectable()
export class BastionGraphql {
  /** The `graphql` slice of the resolved configuration. */
  readonly options: Readonly<ResolvedGraphqlOptions>;
  private used = false;
  private readonly connections = new WeakMap<object, SessionContext>();
  private graphqlError: Promise<GraphqlErrorClass> | undefined;

  constructor(
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
    @Inject(AUTHENTICATION_GUARD) private readonly guard: AuthenticationGuard,
    private readonly routes: RouteSecurityMap,
    private readonly connectionAuth: ConnectionAuthenticator,
    private readonly events: SecurityEvents,
  ) {
    this.options = config.graphql;
  }

  /** True once a driver configuration came through this service. */
  get configured(): boolean {
    return this.used;
  }

  /** Apollo driver options (`ApolloDriverConfig`) with Bastion's protection added. */
  async apollo<T extends AnyOptions>(options: T): Promise<T> {
    this.used = true;
    const rules = await limitRules(this.options);
    const userFormat = options.formatError as ((f: FormattedGraphqlError, e: unknown) => FormattedGraphqlError) | undefined;
    const userContext = options.context as ((...args: any[]) => unknown) | undefined;
    const ws = options.subscriptions?.['graphql-ws'];
    return {
      ...options,
      introspection: this.options.introspection,
      transformSchema: this.transformSchema(options),
      allowBatchedHttpRequests: this.options.maxBatch > 1,
      fieldResolverEnhancers: [...new Set([...(options.fieldResolverEnhancers ?? []), 'guards'])],
      validationRules: [...(options.validationRules ?? []), ...rules],
      formatError: (formatted: FormattedGraphqlError, error: unknown) => formatGraphqlError(userFormat ? userFormat(formatted, error) : formatted, error, this.options),
      context: async (...args: any[]) => {
        const base = (userContext ? await userContext(...args) : {}) ?? {};
        const arg = args[0] as { req?: object; connectionParams?: unknown; extra?: unknown } | undefined;
        if (arg && ('connectionParams' in arg || 'extra' in arg)) {
          const session = this.connections.get(arg);
          return session ? attachGraphqlSession({ ...base }, session) : base;
        }
        const req = (arg?.req ?? arg) as object & { body?: unknown };
        const http = httpContextOf(req, this.config);
        if (Array.isArray(req.body) && req.body.length > this.options.maxBatch) throw await this.requestError(new BastionException('ERR_QUERY_LIMIT', { reason: 'ERR_BATCH_LIMIT' }), http);
        return attachGraphqlSession({ ...base }, http);
      },
      plugins: [
        ...(options.plugins ?? []),
        {
          requestDidStart: async () => ({
            didResolveOperation: async (rc: { contextValue: unknown; document: DocumentLike; operationName?: string | null }) => this.checkOperation(rc.contextValue, rc.document, rc.operationName),
          }),
        },
      ],
      subscriptions: ws === undefined || ws === false ? options.subscriptions : { ...options.subscriptions, 'graphql-ws': this.graphqlWs(ws === true ? {} : ws) },
    };
  }

  /** Mercurius driver options (`MercuriusDriverConfig`) with Bastion's protection added. */
  async mercurius<T extends AnyOptions>(options: T): Promise<T> {
    this.used = true;
    const rules = await limitRules(this.options);
    const userContext = options.context as ((...args: any[]) => unknown) | undefined;
    const subscription = options.subscription === true ? {} : options.subscription;
    const hooks = options.hooks ?? {};
    return {
      ...options,
      allowBatchedQueries: this.options.maxBatch > 1,
      transformSchema: this.transformSchema(options),
      validationRules: [...(options.validationRules ?? []), ...rules],
      errorFormatter: (execution: { data?: unknown; errors: readonly any[] }, context: { reply?: { request?: { headers?: Record<string, string> }; header?(name: string, value: string): unknown } }) => {
        const errors = execution.errors.flatMap((e) => (Array.isArray(e?.originalError?.errors) ? e.originalError.errors : [e]));
        const data = execution.data ?? null;
        const accept = context?.reply?.request?.headers?.accept;
        const statusCode = data ? 200 : requestErrorStatus(errors[0], accept);
        // RFC 6750 §3: a 401 carries its challenge (Apollo sets it from the request error's `http.headers`).
        if (statusCode === 401) context.reply?.header?.('WWW-Authenticate', bearerChallenge(this.config.realm, {}));
        return {
          statusCode,
          response: { data, errors: errors.map((e) => formatGraphqlError(typeof e?.toJSON === 'function' ? e.toJSON() : { message: String(e?.message) }, e, this.options)) },
        };
      },
      context: async (request: object, reply: unknown) => {
        const base = (userContext ? await userContext(request, reply) : {}) ?? {};
        return attachGraphqlSession({ ...base }, httpContextOf(request, this.config));
      },
      hooks: {
        ...hooks,
        preExecution: [
          ...(hooks.preExecution ?? []),
          async (_schema: unknown, document: DocumentLike, context: { reply?: { request?: { body?: unknown } } }) => {
            const body = context?.reply?.request?.body;
            if (Array.isArray(body) && body.length > this.options.maxBatch) throw new BastionException('ERR_QUERY_LIMIT', { reason: 'ERR_BATCH_LIMIT' });
            await this.checkOperation(context, document, (body as { operationName?: string } | undefined)?.operationName, false);
          },
        ],
      },
      subscription: subscription === undefined || subscription === false ? subscription : this.mercuriusSubscription(subscription),
    };
  }

  /** The app's own `transformSchema`, then the route map's decisions in the field descriptions (`graphql.annotateSchema`). */
  private transformSchema(options: AnyOptions): ((schema: any) => unknown) | undefined {
    const user = options.transformSchema as ((schema: any) => unknown) | undefined;
    if (!this.options.annotateSchema) return user;
    return async (schema) => annotateSchema((user ? await user(schema) : schema) as Parameters<typeof annotateSchema>[0], this.routes.routes());
  }

  /** `graphql-ws` options (Apollo): authenticate `connectionParams` on `connection_init`, watch the connection. */
  private graphqlWs(user: AnyOptions): AnyOptions {
    return {
      ...user,
      onConnect: async (ctx: { connectionParams?: unknown; extra?: { request?: object; socket?: { close(code: number, reason: string): void } } }) => {
        const close = (code: number, reason: string) => ctx.extra?.socket?.close(code, reason);
        const session = await this.connect(ctx.connectionParams, ctx.extra?.request, close);
        if (!session) return false;
        this.connections.set(ctx, session);
        return user.onConnect ? user.onConnect(ctx) : true;
      },
      onClose: (ctx: object, ...rest: unknown[]) => {
        (this.connections.get(ctx) as { stop?: () => void } | undefined)?.stop?.();
        return user.onClose?.(ctx, ...rest);
      },
    };
  }

  /** Mercurius subscriptions: the same, through its `onConnect` (see `mercuriusConnectionOf`). */
  private mercuriusSubscription(user: AnyOptions): AnyOptions {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const service = this;
    return {
      ...user,
      async onConnect(this: unknown, data: { payload?: unknown }) {
        const { socket, request } = mercuriusConnectionOf(this);
        const close = (code: number, reason: string) => socket?.close(code, reason);
        const session = await service.connect(data?.payload, request?.raw, close);
        if (!session) return false;
        const extra = user.onConnect ? await user.onConnect(data) : true;
        if (extra === false) return false;
        return attachGraphqlSession(typeof extra === 'object' && extra !== null ? { ...extra } : {}, session);
      },
      onDisconnect: (context: unknown) => {
        const session = graphqlSessionOf(context, service.config) as (BastionRequestContext & { stop?: () => void }) | undefined;
        session?.stop?.();
        return user.onDisconnect?.(context);
      },
    };
  }

  /** Authenticates a subscription connection; closes it (4401/4403…) and returns undefined when refused. */
  private async connect(params: unknown, request: object | undefined, close: (code: number, reason: string) => void): Promise<SessionContext | undefined> {
    const result = await this.connectionAuth.open({ transport: 'graphql', request, headers: connectionCredential(params), checkOrigin: false });
    if ('error' in result) {
      close(closeCodeOf(result.error), ERROR_CODES[result.error.code].title);
      return undefined;
    }
    const stop = this.connectionAuth.watch(result.session, close);
    return Object.assign(result.session, { stop });
  }

  /**
   * Before execution: verifies a presented credential once for the whole request, and refuses an
   * anonymous request whose every root field is protected. Throws a GraphQL request error.
   */
  private async checkOperation(gqlContext: unknown, document: DocumentLike, operationName: string | null | undefined, graphqlError = true): Promise<void> {
    const session = graphqlSessionOf(gqlContext, this.config);
    if (!session || session.transport !== 'http') return;
    const operation = selectedOperation(document, operationName ?? undefined);
    if (!operation) return;
    try {
      await this.guard.authenticate(session, syntheticRoute('GraphQL request', true, undefined));
      if (session.authentication !== 'authenticated' && needsCredential(rootFields(document, operation), (name) => this.routes.operation(name))) {
        this.events.emit({ type: 'authentication.failed', outcome: 'failure', reason: 'ERR_CREDENTIAL_MISSING', ...requestEventFields(session), details: { transport: 'graphql' } });
        throw new UnauthenticatedException({ reason: 'ERR_CREDENTIAL_MISSING' });
      }
    } catch (error) {
      throw graphqlError ? await this.requestError(error, session) : error;
    }
  }

  /** A GraphQL request error for Apollo: Bastion's code, and the HTTP status GraphQL over HTTP calls for. */
  private async requestError(error: unknown, session: BastionRequestContext): Promise<Error> {
    if (!(error instanceof BastionException)) return error as Error;
    this.graphqlError ??= import('graphql').then((m) => m.GraphQLError as unknown as GraphqlErrorClass);
    const GraphQLError = await this.graphqlError;
    const accept = session.header('accept');
    const status = requestErrorStatus(error, accept);
    const headers = new Map<string, string>();
    if (status === 401 && wantsGraphqlResponse(accept)) headers.set('www-authenticate', bearerChallenge(this.config.realm, error.challenge ?? {}));
    return new GraphQLError(ERROR_CODES[error.code].title, { extensions: { code: error.code, http: { status, headers } } });
  }
}
