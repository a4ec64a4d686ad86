// Shared by the real-Nest-CLI suites: run commands, build and pack the workspace packages once, make a
// `nest new` app with them installed.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REQUIRE_SERVICES = process.env.BASTION_REQUIRE_SERVICES === '1';
export const NEST_CLI = join(dirname(createRequire(import.meta.url).resolve('@nestjs/cli/package.json')), 'bin', 'nest.js');
// The warm npm cache is used first; only what is missing is fetched.
export const NPM_ENV = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

export function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}, timeout = 240_000): Promise<string> {
  const started = Date.now();
  return new Promise<string>((res, rej) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...NPM_ENV, ...env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' }, timeout, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) rej(new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`));
      // The schematics CLI colours CREATE/UPDATE even without a TTY.
      // eslint-disable-next-line no-control-regex
      else res(`${stdout}\n${stderr}`.replace(/\u001b\[[0-9;]*m/g, ''));
    });
  }).finally(() => console.log(`[cli-e2e] ${((Date.now() - started) / 1000).toFixed(1)}s  ${cmd === process.execPath ? 'node' : cmd} ${args.map((a) => a.replace(/^.*node_modules\//, '')).join(' ')}`));
}

export const npm = (args: string[], cwd: string): Promise<string> => run('npm', args, cwd);
export const nestG = (args: string[], cwd: string): Promise<string> => run(process.execPath, [join(cwd, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'g', '-c', '@bastion/schematics', ...args], cwd);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds a package unless its build output is newer than its sources (CI builds before testing). */
export async function ensureBuilt(pkgDir: string, output: string, sources: string[], buildArgs: string[]): Promise<void> {
  const out = join(pkgDir, output);
  if (existsSync(out) && sources.every((s) => newestMtime(join(pkgDir, s)) < statSync(out).mtimeMs)) return;
  await run(process.execPath, buildArgs, pkgDir, {}, 300_000);
}

/** `pnpm pack`, retried once if the tarball lacks an entry (another build may be rewriting dist/). */
export async function pack(pkgDir: string, dest: string, mustHave: string[]): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const out = await run('pnpm', ['pack', '--pack-destination', dest], pkgDir);
    const tgz = out.split('\n').map((l) => l.trim()).find((l) => l.endsWith('.tgz'));
    if (!tgz) throw new Error(`pnpm pack printed no tarball:\n${out}`);
    const listing = await run('tar', ['tzf', tgz], dest);
    if (mustHave.every((f) => listing.includes(`package/${f}`))) return tgz;
    if (attempt > 0) throw new Error(`${tgz} lacks one of ${mustHave.join(', ')}`);
    await new Promise((r) => setTimeout(r, 5000));
  }
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

export async function registryReachable(): Promise<boolean> {
  try {
    await run('npm', ['ping'], REPO, {}, 20_000);
    return true;
  } catch {
    return false;
  }
}

/**
 * The packed packages (`@bastion/nest`, `@bastion/codemod`, `@bastion/schematics`, built first when their
 * sources are newer) installed into one `nest new` app in `work`, with the peers `init` would add and
 * `extra` packages, so `init`'s own install step finds nothing to do. Returns the app's directory.
 */
export async function prepareNestApp(work: string, extra: string[] = []): Promise<string> {
  await ensureBuilt(join(REPO, 'packages', 'nest'), 'dist/esm/index.js', ['src'], [join(REPO, 'scripts', 'build-dual.mjs')]);
  const codemodDir = join(REPO, 'packages', 'codemod');
  await ensureBuilt(codemodDir, 'dist/esm/index.js', ['src'], [createRequire(join(codemodDir, 'package.json')).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  await ensureBuilt(join(REPO, 'schematics'), 'dist/collection.json', ['src', '../templates'], ['scripts/build.cjs']);
  const nestTgz = await pack(join(REPO, 'packages', 'nest'), work, ['dist/esm/index.js', 'dist/cjs/index.js', 'dist/esm/testing/index.js']);
  const codemodTgz = await pack(codemodDir, work, ['dist/esm/index.js', 'bastion.schema.json']);
  const schematicsTgz = await pack(join(REPO, 'schematics'), work, ['dist/collection.json', 'dist/templates/secure-resource/controller.ts.template']);
  await run(process.execPath, [NEST_CLI, 'new', 'app', '--skip-git', '--package-manager', 'npm'], work, {}, 300_000);
  const base = join(work, 'app');
  const core = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8')).dependencies['@nestjs/core'] as string;
  const major = /(\d+)/.exec(core)![1]!;
  await npm(['install', nestTgz, codemodTgz, schematicsTgz, `@nestjs/platform-fastify@^${major}`, `@nestjs/config@^${major}`, `@nestjs/passport@^${major}`,
    '@nestjs/throttler@^6.7.0', 'class-validator@^0.15.1', 'class-transformer@^0.5.1', ...extra.map((e) => e.replace('{major}', major))], base);
  return base;
}

/** Whether the npm registry answers; offline, a loud notice (the suite is skipped) or, under BASTION_REQUIRE_SERVICES=1, an error. */
export async function onlineOrSkip(suite: string): Promise<boolean> {
  if (await registryReachable()) return true;
  if (REQUIRE_SERVICES) throw new Error(`npm registry unreachable and BASTION_REQUIRE_SERVICES=1: ${suite} cannot run`);
  console.warn(`!!! test/cli: npm registry unreachable: ${suite} is SKIPPED (set BASTION_REQUIRE_SERVICES=1 to fail instead)`);
  return false;
}

/** Removes a work directory (node_modules trees) in the background rather than holding the suite up. */
export function removeInBackground(dir: string): void {
  if (dir && !process.env.BASTION_KEEP_E2E_DIR) spawn('rm', ['-rf', dir], { detached: true, stdio: 'ignore' }).unref();
}
