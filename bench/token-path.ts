/**
 * CPU per request of the authentication guard for a reused bearer JWT, in process: the request context
 * is built, then `AuthenticationGuard.authenticate` settles the principal (credential detection, the
 * header read, the verified-token cache with its hash, the principal, the revocation and sender checks).
 * The figure is that pass minus building the context alone, measured in turn, so only the guard counts.
 * No sockets and no Nest pipeline: the steadiest view of the token path, whose cost over HTTP varies
 * with the machine by more than it moves under a change. `--baseline PATH` (another build's
 * `esm/index.js`, placed where it resolves its dependencies, e.g. under `packages/nest/node_modules/`)
 * runs that build in the same process, alternating with this one, for before/after figures.
 *
 *   cd bench && node --import @swc-node/register/esm-register token-path.ts [--requests 20000] [--rounds 15] [--baseline PATH]
 *
 * Writes token-path.results.md next to this file. Benchmarks are not tests: nothing is asserted.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { TestIssuer } from '@bastion/nest/testing';
import { createBastionApp, type BastionModuleExports } from './peer/bastion.app.js';
import { describeMachine } from './peer/machine.js';
import { reusedTokens } from './peer/tokens.js';

const { values: args } = parseArgs({ options: { requests: { type: 'string' }, rounds: { type: 'string' }, baseline: { type: 'string' } } });
const REQUESTS = Number(args.requests ?? 20_000);
const ROUNDS = Number(args.rounds ?? 15);
const here = dirname(fileURLToPath(import.meta.url));
const builds = [
  { name: 'this build', index: resolve(here, '../packages/nest/dist/esm/index.js') },
  ...(args.baseline ? [{ name: 'baseline', index: resolve(args.baseline) }] : []),
];

/** What the guard needs from a build: its own module instances (a build's classes and tokens are its own). */
async function guardOf(index: string, app: Awaited<ReturnType<typeof createBastionApp>>) {
  const at = (path: string) => import(pathToFileURL(resolve(dirname(index), path)).href);
  const bastion = await import(pathToFileURL(index).href);
  const [{ httpContextOf }, { BASTION_CONFIG }, { RouteSecurityMap }, { SecurityEvents }, { AuthenticatorRegistry }, { PRINCIPAL_CHECKS }] = await Promise.all([
    at('contexts/http/http-context.js'),
    at('core/bastion-config.js'),
    at('authorization/route-security-map.service.js'),
    at('audit/security-events.service.js'),
    at('authentication/authenticator-registry.js'),
    at('revocation/principal-check.js'),
  ]);
  const config = app.get(BASTION_CONFIG);
  const routes = app.get(RouteSecurityMap);
  // The guard is registered as an app guard (not by its class): built here from the app's own providers.
  const guard = new bastion.AuthenticationGuard(config, app.get(SecurityEvents), app.get(AuthenticatorRegistry), routes, app.get(PRINCIPAL_CHECKS));
  let route: unknown;
  for (const module of (app as unknown as { container: { getModules(): Map<string, { controllers: Map<unknown, { instance: object; metatype: unknown }> }> } }).container.getModules().values()) {
    for (const controller of module.controllers.values()) {
      const secured = (Object.getPrototypeOf(controller.instance) as { secured?: unknown }).secured;
      if (secured) route = routes.resolve(secured, controller.metatype);
    }
  }
  if (!route) throw new Error('the protected route was not found');
  return { httpContextOf, config, guard, route };
}

const issuer = await TestIssuer.start({ algorithm: 'RS256' });
const jwt = { issuer: issuer.issuer, audience: issuer.audience, jwksUri: issuer.jwksUri };
const token = (await reusedTokens(issuer)).RS256;
const socket = { remoteAddress: '127.0.0.1', remotePort: 50_000, encrypted: false };

/** A Fastify-shaped request (the framework request over the raw one) with autocannon's headers. */
function request(withToken: boolean) {
  const rawHeaders = ['host', '127.0.0.1:3000', 'user-agent', 'autocannon', 'accept', 'application/json', ...(withToken ? ['authorization', `Bearer ${token}`] : [])];
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i]!] = rawHeaders[i + 1]!;
  const raw = { method: 'GET', url: '/items/protected', headers, rawHeaders, socket, connection: socket };
  return { raw, headers, url: raw.url, method: raw.method };
}

const subjects = [];
for (const build of builds) {
  const app = await createBastionApp('fastify', jwt, { bastion: (await import(pathToFileURL(build.index).href)) as BastionModuleExports });
  await app.init();
  const { httpContextOf, config, guard, route } = await guardOf(build.index, app);
  const first = httpContextOf(request(true), config);
  await guard.authenticate(first, route); // verified once: every later request is a cache hit
  if (first.principal?.subject === undefined) throw new Error(`${build.name}: the token was not accepted`);
  const pass = async (authenticate: boolean) => {
    const before = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i++) {
      const ctx = httpContextOf(request(authenticate), config);
      if (!authenticate) continue;
      const pending = guard.authenticate(ctx, route);
      if (pending instanceof Promise) await pending;
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / REQUESTS;
  };
  subjects.push({ build, app, pass, samples: [] as number[] });
}
for (let round = 0; round < ROUNDS; round++) {
  for (const s of subjects) {
    const contextOnly = await s.pass(false);
    s.samples.push((await s.pass(true)) - contextOnly);
  }
}
for (const s of subjects) await s.app.close();
await issuer.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows = subjects.map((s) => `| ${s.build.name} | ${median(s.samples).toFixed(2)} | ${Math.min(...s.samples).toFixed(2)}–${Math.max(...s.samples).toFixed(2)} |`);
const lines = [
  '# token path: the authentication guard for a reused JWT, in process',
  '',
  `\`cd bench && node --import @swc-node/register/esm-register token-path.ts ${process.argv.slice(2).join(' ')}\``.replace(' `', '`'),
  '',
  `Machine: ${describeMachine()}. ${REQUESTS.toLocaleString('en-US')} requests per pass, ${ROUNDS} rounds, builds alternating; CPU µs per request of \`authenticate\` (the pass minus building the request context alone).`,
  '',
  '| build | CPU µs per request (median) | range over the rounds |',
  '|---|---|---|',
  ...rows,
  ...(subjects.length === 2 ? ['', `This build ÷ baseline: ${(median(subjects[0]!.samples) / median(subjects[1]!.samples)).toFixed(2)}×.`] : []),
  '',
];
writeFileSync(resolve(here, 'token-path.results.md'), lines.join('\n'));
console.log(lines.join('\n'));
