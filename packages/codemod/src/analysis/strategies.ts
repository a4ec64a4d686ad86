import { Node, type ClassDeclaration } from 'ts-morph';
import type { Credential } from './code-signals.js';
import { importsOf } from './file-imports.js';
import { constantString, objectProperty } from './literals.js';
import { nodeText, type Env } from './where.js';

const PASSPORT = '@nestjs/passport';

/** A passport strategy the app registers (`class X extends PassportStrategy(Strategy, 'name')`). */
export interface StrategyInfo {
  name: string;
  /** The passport package its `Strategy` comes from (`passport-jwt`, `passport-local`, …). */
  module: string;
  credential: Credential;
  className: string;
  /** `file:line` of the class. */
  at: string;
  /** Why the credential is what it is. */
  reason: string;
  /** It reads its credential from `Authorization` (a bearer or basic scheme), where Bastion looks for access tokens. */
  readsAuthorization: boolean;
  cls: ClassDeclaration;
}

/** Default strategy names of the common passport packages (what `AuthGuard()` names them by). */
const DEFAULT_NAMES: Readonly<Record<string, string>> = {
  'passport-jwt': 'jwt', 'passport-local': 'local', 'passport-http-bearer': 'bearer', 'passport-headerapikey': 'headerapikey',
  'passport-google-oauth20': 'google', 'passport-google-oauth2': 'google', 'passport-github2': 'github', 'passport-github': 'github',
  'passport-facebook': 'facebook', 'passport-twitter': 'twitter', 'passport-apple': 'apple', 'passport-microsoft': 'microsoft',
  'passport-azure-ad': 'oauth-bearer', 'passport-oauth2': 'oauth2', 'passport-openidconnect': 'openidconnect', 'passport-discord': 'discord',
  'passport-linkedin-oauth2': 'linkedin', 'passport-saml': 'saml', '@node-saml/passport-saml': 'saml', 'passport-anonymous': 'anonymous',
  'passport-http': 'basic', 'passport-custom': 'custom',
};

const OAUTH_MODULE = /oauth|openid|google|github|facebook|twitter|apple|microsoft|discord|linkedin|saml|auth0|okta|keycloak|gitlab|slack/i;

/** The credential a strategy name says it takes, for strategies not found in the project. */
export function credentialOfName(name: string): Credential {
  const n = name.toLowerCase();
  if (/refresh/.test(n)) return 'refresh';
  if (/^(jwt|bearer|access|access-token|jwt-access|oauth-bearer)$/.test(n)) return 'bearer';
  if (/^(local|password|credentials)$/.test(n)) return 'password';
  if (/api-?key|headerapikey|^basic$|^digest$/.test(n)) return 'api-key';
  if (OAUTH_MODULE.test(n) || /^(oauth2?|oidc|openidconnect|sso)$/.test(n)) return 'oauth';
  return 'unknown';
}

function credentialOfModule(module: string, name: string, cls: ClassDeclaration): { credential: Credential; reason: string } {
  if (/refresh/i.test(name) || /refresh/i.test(cls.getName() ?? '')) return { credential: 'refresh', reason: `strategy '${name}' takes a refresh token` };
  if (module === 'passport-jwt' || module === 'passport-http-bearer') {
    const from = cls.getConstructors()[0]?.getText() ?? '';
    if (/fromBodyField|fromUrlQueryParameter/.test(from)) return { credential: 'unknown', reason: `${module} reading the token from the body or query` };
    return { credential: 'bearer', reason: `${module} (bearer token)` };
  }
  if (module === 'passport-local') return { credential: 'password', reason: 'passport-local (username and password)' };
  if (module === 'passport-headerapikey' || module === 'passport-http') return { credential: 'api-key', reason: `${module} (API key or basic credentials)` };
  if (module === 'passport-anonymous') return { credential: 'unknown', reason: 'passport-anonymous lets every request through' };
  if (OAUTH_MODULE.test(module)) return { credential: 'oauth', reason: `${module} (OAuth/OIDC login)` };
  return { credential: credentialOfName(name), reason: `${module} strategy '${name}'` };
}

const cache = new WeakMap<object, StrategyInfo[]>();

/** Every `PassportStrategy(...)` subclass in the project. */
export function findStrategies(env: Env & { allFiles: import('ts-morph').SourceFile[] }): StrategyInfo[] {
  const hit = cache.get(env.allFiles);
  // Retrofit replaces the files a transform edited: recompute once a cached class belongs to a replaced file.
  if (hit && !hit.some((s) => s.cls.wasForgotten())) return hit;
  const out: StrategyInfo[] = [];
  for (const file of env.allFiles) {
    if (!file.getFullText().includes('PassportStrategy')) continue;
    const imports = importsOf(file);
    for (const cls of file.getClasses()) {
      const ext = cls.getExtends()?.getExpression();
      if (!ext || !Node.isCallExpression(ext) || !imports.is(ext.getExpression(), PASSPORT, 'PassportStrategy')) continue;
      const [base, nameArg] = ext.getArguments();
      const baseBinding = imports.resolve(base);
      const module = baseBinding?.module ?? '(unknown)';
      const name = constantString(env.project, nameArg) ?? DEFAULT_NAMES[module] ?? module.replace(/^passport-/, '');
      const { credential, reason } = credentialOfModule(module, name, cls);
      const ctor = cls.getConstructors()[0]?.getText() ?? '';
      const readsAuthorization = module === 'passport-http-bearer' || module === 'passport-http' || /fromAuthHeader|['"`]authorization['"`]/i.test(ctor);
      out.push({ name, module, credential, className: cls.getName() ?? '(anonymous)', at: nodeText(env, cls), reason, readsAuthorization, cls });
    }
  }
  cache.set(env.allFiles, out);
  return out;
}

/** `PassportModule.register({ defaultStrategy })`: what `AuthGuard()` without a name uses. */
export function defaultStrategy(env: Env & { allFiles: import('ts-morph').SourceFile[] }): string | undefined {
  for (const file of env.allFiles) {
    if (!file.getFullText().includes('defaultStrategy')) continue;
    let found: string | undefined;
    file.forEachDescendant((n, t) => {
      if (found === undefined && Node.isObjectLiteralExpression(n)) {
        const v = objectProperty(n, 'defaultStrategy');
        if (v) {
          found = constantString(env.project, v) ?? (Node.isArrayLiteralExpression(v) ? constantString(env.project, v.getElements()[0]) : undefined);
          if (found) t.stop();
        }
      }
    });
    if (found) return found;
  }
  return undefined;
}
