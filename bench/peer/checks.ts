/**
 * Before any load: each app must answer as configured, or the figures would compare a broken stack
 * (e.g. a hand-wired app answering 401 to every token, or one that lets everything through).
 */
import type { TestIssuer } from '@bastion/nest/testing';
import type { AppKind } from './apps.js';
import { INVALID_BODY, ITEM, PATHS, VALID_BODY } from './items.js';
import type { ServerHandle } from './servers.js';
import type { Alg } from './tokens.js';

interface Expectation {
  what: string;
  method?: 'GET' | 'POST';
  path: string;
  token?: string;
  body?: string;
  status: number;
  json?: unknown;
  /** Response headers that must be present (lower case). */
  headers?: string[];
}

function expectations(kind: AppKind, reused: Record<Alg, string>, wrongAudience: string): Expectation[] {
  const secured = kind !== 'bare';
  // Security headers (helmet or Bastion's preset) and a throttler that counts (its headers show it ran).
  const hardened = kind === 'bare' ? [] : ['x-content-type-options', 'content-security-policy'];
  const throttled = kind.startsWith('bastion') ? ['ratelimit', 'ratelimit-policy'] : kind === 'hand-wired' ? ['x-ratelimit-limit', 'x-ratelimit-remaining'] : [];
  return [
    { what: 'public GET', path: PATHS.public, status: 200, json: ITEM, headers: [...hardened, ...throttled] },
    { what: 'protected GET without a token', path: PATHS.protected, status: secured ? 401 : 200 },
    { what: 'protected GET with a token for another audience', path: PATHS.protected, token: wrongAudience, status: secured ? 401 : 200 },
    { what: 'protected GET, RS256 token', path: PATHS.protected, token: reused.RS256, status: 200, json: ITEM, headers: [...hardened, ...throttled] },
    { what: 'protected GET, ES256 token', path: PATHS.protected, token: reused.ES256, status: 200, json: ITEM },
    { what: 'POST valid DTO', method: 'POST', path: PATHS.create, token: reused.RS256, body: VALID_BODY, status: 201, json: { id: 2, ...JSON.parse(VALID_BODY) } },
    { what: 'POST invalid DTO', method: 'POST', path: PATHS.create, token: reused.RS256, body: INVALID_BODY, status: secured ? 400 : 201 },
    { what: 'POST valid DTO without a token', method: 'POST', path: PATHS.create, body: VALID_BODY, status: secured ? 401 : 201 },
  ];
}

/** Throws, listing every wrong answer of `server`. */
export async function checkApp(server: ServerHandle, issuer: TestIssuer, reused: Record<Alg, string>): Promise<void> {
  const wrongAudience = await issuer.sign({ sub: 'bench-user', aud: 'another-api' }, { expiresIn: 300 });
  const problems: string[] = [];
  for (const e of expectations(server.kind, reused, wrongAudience)) {
    const headers: Record<string, string> = {};
    if (e.token) headers.authorization = `Bearer ${e.token}`;
    if (e.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.url}${e.path}`, { method: e.method ?? 'GET', headers, body: e.body });
    const text = await res.text();
    if (res.status !== e.status) problems.push(`${e.what}: status ${res.status}, expected ${e.status} (${text.slice(0, 200)})`);
    else if (e.json !== undefined && text !== JSON.stringify(e.json)) problems.push(`${e.what}: body ${text.slice(0, 200)}, expected ${JSON.stringify(e.json)}`);
    for (const name of e.headers ?? []) if (!res.headers.has(name)) problems.push(`${e.what}: no ${name} header`);
  }
  if (problems.length > 0) throw new Error(`${server.kind} ${server.adapter} app answers wrong:\n  ${problems.join('\n  ')}`);
}
