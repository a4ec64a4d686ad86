import { Node, type TypeNode } from 'ts-morph';
import type { EntryPoint, EntryPointKind, Mechanism } from '../report/types.js';
import { codeSignals } from './code-signals.js';
import { credentialText } from './decision.js';
import type { RouteInfo } from './controllers.js';
import { resolveDecorators } from './decorators.js';
import { importsOf } from './file-imports.js';
import type { ServedPath } from './served.js';
import { nodeText, type Env } from './where.js';

const TERMINUS = '@nestjs/terminus';
const PROMETHEUS = /nestjs-prometheus|prom-client/;

/** Entry-point kinds implied by the credential an authenticating mechanism takes. */
const BY_CREDENTIAL: Partial<Record<string, EntryPointKind>> = { password: 'login', refresh: 'token', oauth: 'oauth', signature: 'webhook' };

const KIND_TEXT: Record<EntryPointKind, string> = {
  login: 'a login route', logout: 'a logout route', register: 'a sign-up route', token: 'a token route', confirm: 'an e-mail/account confirmation route',
  'password-reset': 'a password-reset route', oauth: 'an OAuth/OIDC route', webhook: 'a webhook', health: 'a health/readiness/metrics route',
};

const word = (w: string) => new RegExp(`(^|-)(${w})(-|$)`);
/** A path or handler about authentication: `refresh`, `confirm` or `callback` alone are too common to count. */
const AUTH_CONTEXT = word('auth|oauth2?|oidc|sso|session|sessions|account|accounts|user|users|me|identity|jwt|login|sign-?in|password|email|registration|sign-?up');
const inAuth = (t: string[]) => t.some((x) => AUTH_CONTEXT.test(x));
const NAME_RULES: Array<{ kind: EntryPointKind; test: (terms: string[]) => boolean; methods: string[] }> = [
  { kind: 'logout', test: (t) => t.some((x) => word('log-?out|sign-?out').test(x)), methods: ['POST', 'GET', 'DELETE'] },
  { kind: 'login', test: (t) => t.some((x) => word('log-?in|sign-?in').test(x) || x === 'authenticate'), methods: ['POST'] },
  { kind: 'register', test: (t) => t.some((x) => word('register|sign-?up').test(x)), methods: ['POST'] },
  { kind: 'password-reset', test: (t) => t.some((x) => /password/.test(x)) && t.some((x) => word('forgot|reset|recover|recovery').test(x)), methods: ['POST', 'PUT', 'PATCH', 'GET'] },
  { kind: 'token', test: (t) => t.some((x) => word('refresh|token|tokens').test(x)) && inAuth(t), methods: ['POST'] },
  {
    kind: 'confirm',
    test: (t) => (t.some((x) => word('confirm|confirmation|activate|activation|verify|verification').test(x)) && (inAuth(t) || t.some((x) => /phone/.test(x)))),
    methods: ['GET', 'POST'],
  },
  {
    kind: 'oauth',
    test: (t) => t.some((x) => word('oauth2?|sso|oidc').test(x)) || (t.some((x) => word('callback|redirect').test(x)) && inAuth(t)) ||
      (t.some((x) => word('google|github|facebook|apple|microsoft|twitter|discord|linkedin|gitlab|okta|auth0|keycloak').test(x)) && t.some((x) => /auth|login|callback|redirect/.test(x))),
    methods: ['GET', 'POST'],
  },
];

const HEALTH = /^(health|healthz|healthcheck|health-check|readyz|livez|readiness|liveness|ready|live|alive|ping|metrics)$/;

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
}

/** Kind suggested by the handler name and path segments, if any. */
function nameKind(route: RouteInfo, served: ServedPath[]): { kind: EntryPointKind; evidence: string } | undefined {
  const declared = served[0]?.declared ?? '/';
  const segments = declared.split('/').filter((s) => s && !s.startsWith(':') && !s.startsWith('{') && !s.startsWith('*')).map((s) => s.toLowerCase());
  const handler = kebab(route.method.getName());
  const terms = [handler, ...segments];
  const method = route.httpMethod;
  const params = /[:*{]/.test(declared);
  if ((method === 'GET' || method === 'HEAD') && !params && segments.length <= 2 && (segments.some((s) => HEALTH.test(s)) || (segments.length === 1 && /^(status|version)$/.test(segments[0]!)) || word('health|healthz|readiness|liveness').test(handler))) {
    return { kind: 'health', evidence: `${method} ${declared} (handler ${route.method.getName()}) is named like a health/readiness/metrics route` };
  }
  for (const rule of NAME_RULES) {
    if (rule.methods.includes(method) && rule.test(terms)) {
      return { kind: rule.kind, evidence: `${method} ${declared} (handler ${route.method.getName()}) is named like ${KIND_TEXT[rule.kind]}` };
    }
  }
  return undefined;
}

function typeName(t: TypeNode | undefined): Node | undefined {
  return t && Node.isTypeReference(t) ? t.getTypeName() : undefined;
}

/**
 * Recognises an authentication entry point: a route that must stay reachable without an access token. What the
 * code does decides first (the credential its guards take, terminus, calls that sign tokens or check signatures,
 * password checks); the handler name and path second.
 */
export function recognizeEntryPoint(env: Env, route: RouteInfo, mechanisms: Mechanism[], served: ServedPath[]): EntryPoint | undefined {
  const byName = nameKind(route, served);
  const evidence: string[] = [];
  let kind: EntryPointKind | undefined;
  for (const m of mechanisms) {
    const k = m.verdict === 'authenticates' && m.credential ? BY_CREDENTIAL[m.credential] : undefined;
    if (k && !kind) {
      kind = k === 'login' && byName && byName.kind !== 'token' ? byName.kind : k;
      evidence.push(`${m.name} takes ${credentialText(m.credential)}, not an access token`);
    }
  }
  const file = route.declaringClass.getSourceFile();
  const imports = importsOf(file);
  const terminus = resolveDecorators(route.method.getDecorators(), imports).find((d) => d.binding?.module === TERMINUS);
  if (terminus) {
    kind ??= 'health';
    evidence.push(`@${terminus.binding?.name ?? 'HealthCheck'}() from ${TERMINUS} (${nodeText(env, terminus.node)})`);
  }
  // A controller that injects a terminus service (HealthCheckService, a HealthIndicator) serves health checks.
  const terminusParam = !terminus && (route.httpMethod === 'GET' || route.httpMethod === 'HEAD')
    ? route.controller.cls.getConstructors()[0]?.getParameters().find((p) => imports.resolve(typeName(p.getTypeNode()))?.module === TERMINUS) : undefined;
  if (terminusParam) {
    kind ??= 'health';
    evidence.push(`${route.controller.name} injects ${terminusParam.getTypeNode()?.getText()} from ${TERMINUS} (${nodeText(env, terminusParam)})`);
  }
  const base = route.controller.cls.getExtends()?.getExpression();
  const baseModule = base ? imports.resolve(base)?.module : undefined;
  if (baseModule && PROMETHEUS.test(baseModule)) {
    kind ??= 'health';
    evidence.push(`${route.controller.name} extends ${base?.getText()} from ${baseModule} (metrics)`);
  }
  if (!kind) {
    const s = codeSignals(env, route.method);
    const sigHeader = route.method.getParameters().some((p) => p.getDecorators().some((d) => /signature|hmac/i.test(d.getText())));
    if (s.signature.length > 0) {
      kind = 'webhook';
      evidence.push(`checks a request signature: ${s.signature[0]}${sigHeader ? ' (signature header parameter)' : ''}`);
    } else if (s.verifies.some((v) => v.startsWith('timingSafeEqual')) && sigHeader) {
      kind = 'webhook';
      evidence.push(`compares a signature header in constant time: ${s.verifies.find((v) => v.startsWith('timingSafeEqual'))}`);
    } else if (s.signs.length > 0) {
      kind = byName && byName.kind !== 'health' ? byName.kind : s.passwordChecks.length > 0 ? 'login' : 'token';
      evidence.push(`issues a token: ${s.signs[0]}`);
      if (s.passwordChecks[0]) evidence.push(`checks a password: ${s.passwordChecks[0]}`);
    } else if (s.passwordChecks.length > 0 && (!byName || ['login', 'register', 'password-reset'].includes(byName.kind))) {
      kind = byName?.kind ?? 'login';
      evidence.push(`checks a password: ${s.passwordChecks[0]}`);
    } else if (s.logout.length > 0 && byName?.kind === 'logout') {
      kind = 'logout';
      evidence.push(`ends a session: ${s.logout[0]}`);
    }
  }
  if (kind) {
    if (byName) evidence.push(byName.evidence);
    return { kind, basis: 'code', evidence };
  }
  if (byName && !(Node.isMethodDeclaration(route.method) && route.method.getBody() === undefined)) {
    return { kind: byName.kind, basis: 'name', evidence: [byName.evidence] };
  }
  return undefined;
}
