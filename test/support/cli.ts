// What the real-Nest-CLI suites share: running commands in a scratch app, the registry check, a free port,
// and waiting for a started app to answer.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const REQUIRE_SERVICES = process.env.BASTION_REQUIRE_SERVICES === '1';
/** Fields of the `orders` resource the suites generate with `sres`. */
export const ORDER_FIELDS = 'item:string:1-100,quantity:int:1-1000,note?:string:0-500';
// The warm npm cache is used first; only what is missing is fetched.
const NPM_ENV = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

/**
 * The environment for commands in a scratch app. pnpm's bin shims put the workspace's store on NODE_PATH; a
 * scratch app must resolve only its own node_modules, as in a user's shell (else `nest new` renders the
 * workspace's @nestjs/schematics, and an app could load a package it does not have).
 */
export function scratchEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_PATH: _workspaceStore, ...inherited } = process.env;
  return { ...inherited, ...extra };
}

/** Runs a command, resolves with stdout + stderr (colours stripped), rejects with both; logs its duration. */
export function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}, timeout = 240_000): Promise<string> {
  const started = Date.now();
  return new Promise<string>((res, rej) => {
    execFile(cmd, args, { cwd, env: scratchEnv({ ...NPM_ENV, ...env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' }), timeout, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) rej(new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`));
      // The schematics CLI colours CREATE/UPDATE even without a TTY.
      // eslint-disable-next-line no-control-regex
      else res(`${stdout}\n${stderr}`.replace(/\u001b\[[0-9;]*m/g, ''));
    });
  }).finally(() => console.log(`[cli-e2e] ${((Date.now() - started) / 1000).toFixed(1)}s  ${cmd === process.execPath ? 'node' : cmd} ${args.map((a) => a.replace(/^.*node_modules\//, '')).join(' ')}`));
}

export const npm = (args: string[], cwd: string, timeout?: number): Promise<string> => run('npm', args, cwd, {}, timeout);

/** The workspace's Nest CLI (NestJS 12), for `nest new`. */
const NEST_CLI = join(dirname(createRequire(import.meta.url).resolve('@nestjs/cli/package.json')), 'bin', 'nest.js');

/** What `init` adds to an app's package.json for a Nest major: the schematics' own function, from their build. */
const { requiredDependencies } = createRequire(import.meta.url)('../../schematics/dist/init/init.factory.js') as {
  requiredDependencies(nestMajor: number): Record<'dependencies' | 'devDependencies', Record<string, string>>;
};

/**
 * `nest new app` in `work`, then one install: the app's own dependencies, the packed packages, every other
 * package `init` would add (so its own install step finds nothing to do: copies of the app share this
 * node_modules by a symlink, and a second install there, if it failed, would take it away; the unit tests and
 * the NestJS 11 suite check what init adds and installs) and `extra` (`{major}` becomes the app's Nest major).
 * Returns the app's directory.
 */
export async function newAppWith(work: string, packed: Record<string, string>, extra: string[] = []): Promise<string> {
  await run(process.execPath, [NEST_CLI, 'new', 'app', '--skip-git', '--skip-install', '--package-manager', 'npm'], work, {}, 300_000);
  const dir = join(work, 'app');
  const core = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies['@nestjs/core'] as string;
  const major = /(\d+)/.exec(core)![1]!;
  const wanted = requiredDependencies(Number(major));
  const peers = Object.entries({ ...wanted.dependencies, ...wanted.devDependencies }).filter(([name]) => !(name in packed)).map(([name, range]) => `${name}@${range}`);
  await npm(['install', ...Object.values(packed), ...peers, ...extra.map((e) => e.replaceAll('{major}', major))], dir, 400_000);
  return dir;
}

/** The app's own Nest CLI (`node_modules/@nestjs/cli`), as `npx nest` would run it. */
export const nest = (args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> => run(process.execPath, [join(cwd, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), ...args], cwd, env);

/** `nest g -c @bastion/schematics <args>` in the app. */
export async function nestG(args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  const out = await nest(['g', '-c', '@bastion/schematics', ...args], cwd, env);
  // The Nest CLI exits 0 when the schematic workflow (or its package install) failed.
  if (/The Schematic workflow failed|Package install failed/.test(out)) throw new Error(`nest g -c @bastion/schematics ${args.join(' ')} failed in ${cwd}:\n${out}`);
  return out;
}

export function freePort(): Promise<number> {
  return new Promise((res) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** False (with a loud notice) when the npm registry cannot be reached; throws instead when services are required. */
export async function registryReachable(suite: string): Promise<boolean> {
  try {
    await run('npm', ['ping'], process.cwd(), {}, 20_000);
    return true;
  } catch {
    if (REQUIRE_SERVICES) throw new Error(`npm registry unreachable and BASTION_REQUIRE_SERVICES=1: ${suite} cannot run`);
    console.warn(`!!! ${suite}: npm registry unreachable: SKIPPED (set BASTION_REQUIRE_SERVICES=1 to fail instead)`);
    return false;
  }
}

/** Polls `url` until it answers `status` (default 200) or the process exits; returns whether it did. */
export async function waitForApp(url: string, app: ChildProcess, status = 200): Promise<boolean> {
  for (let i = 0; i < 150 && app.exitCode === null; i++) {
    if (await fetch(url).then((r) => r.status === status, () => false)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** What `startBuiltApp` needs of a `TestIssuer`. */
export interface IssuerSettings {
  issuer: string;
  audience: string;
  jwksUri: string;
}

/** Where `startBuiltApp` finds the app and how it knows it is up. */
export interface StartOptions {
  /** The built entry file. Default `dist/main.js`. */
  entry?: string;
  /** A path that answers `readyStatus` once the app listens. Default `/`. */
  ready?: string;
  /** Default 200. */
  readyStatus?: number;
}

/**
 * Starts the app's `node dist/main.js` (or `start.entry`) on a free loopback port with the issuer's settings in the
 * environment variables `init` wires (`JWT_ISSUER`, `JWT_AUDIENCE`, `JWT_JWKS_URI`) and `env`; resolves once
 * `GET /` (or `start.ready`) answers 200 (or `start.readyStatus`).
 */
export async function startBuiltApp(dir: string, issuer: IssuerSettings, env: Record<string, string> = {}, start: StartOptions = {}): Promise<{ app: ChildProcess; url: string; output: () => string }> {
  const port = await freePort();
  let output = '';
  const app = spawn(process.execPath, [start.entry ?? 'dist/main.js'], {
    cwd: dir,
    // `port` too: the main.ts of an app added by @nestjs/schematics' sub-app reads `process.env.port`.
    env: scratchEnv({ ...env, PORT: String(port), port: String(port), JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: issuer.audience, JWT_JWKS_URI: issuer.jwksUri }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout!.on('data', (d) => (output += d));
  app.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForApp(`${url}${start.ready ?? '/'}`, app, start.readyStatus))) {
    app.kill();
    throw new Error(`app did not start:\n${output}`);
  }
  return { app, url, output: () => output };
}

/** One route of `bastion audit --format json`, as far as the suites read it. */
export interface AuditedRoute {
  method: string;
  path: string;
  protection: { decision?: string; scopes: string[] };
}

/** Runs the installed `bastion` bin (`@bastion/codemod`) on the app and returns the routes of its JSON report. */
export async function bastionAudit(dir: string): Promise<AuditedRoute[]> {
  await run(join(dir, 'node_modules', '.bin', 'bastion'), ['audit', '--format', 'json', '--output', 'bastion-audit.json'], dir);
  return (JSON.parse(readFileSync(join(dir, 'bastion-audit.json'), 'utf8')) as { routes: AuditedRoute[] }).routes;
}

/** Removes a scratch directory (node_modules trees) in the background rather than holding the suite up. */
export function removeInBackground(dir: string): void {
  if (dir && !process.env.BASTION_KEEP_E2E_DIR) spawn('rm', ['-rf', dir], { detached: true, stdio: 'ignore' }).unref();
}
