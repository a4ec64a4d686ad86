// `bastion audit` against nestjs-doctor's `require-guards-on-endpoints` on the same fixture projects.
// Run: cd bench && node --import @swc-node/register/esm-register nestjs-doctor-compare.ts
// nestjs-doctor is installed from the npm registry into a temporary directory (not a dependency of this repository).
// Each project is one of the codemod's fixture cases (packages/codemod/test/fixtures/scopes) laid out as an app;
// the truth table below says, per handler, what really protects it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const DOCTOR_VERSION = '0.4.30';
const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('@bastion/codemod/package.json')), 'dist', 'esm', 'cli.js');
const FIXTURES = join(import.meta.dirname, '..', 'packages', 'codemod', 'test', 'fixtures', 'scopes');

/** What protects each handler: `auth` (a mechanism authenticates it), `design` (entry point or explicitly public), `open`, `unknown`. */
type Truth = 'auth' | 'design' | 'open' | 'unknown';
const PROJECTS: Record<string, { title: string; truth: Record<string, Truth> }> = {
  'middleware-routes': {
    title: 'auth middleware (`forRoutes` paths, methods, wildcards, `exclude`, controller class)',
    truth: {
      'UserController.findMe': 'auth', 'UserController.update': 'auth', 'UserController.create': 'open', 'UserController.login': 'design',
      'ArticlesController.findAll': 'open', 'ArticlesController.feed': 'auth', 'ArticlesController.create': 'auth', 'ArticlesController.remove': 'auth',
      'ProfilesController.find': 'open', 'ProfilesController.follow': 'auth', 'TagsController.findAll': 'open',
    },
  },
  'non-auth-global-guards': {
    title: 'global `ThrottlerGuard` + impersonation write-blocker, class `RolesGuard`',
    truth: { 'ReportsController.list': 'open', 'ReportsController.remove': 'open' },
  },
  'global-guard-public-opt-out': {
    title: 'docs recipe: global `JwtAuthGuard` (APP_GUARD) + `@Public()`, optional guard',
    truth: { 'PostsController.list': 'design', 'PostsController.feed': 'design', 'PostsController.create': 'auth' },
  },
  'composite-decorator': {
    title: 'boilerplate `@Auth()` = `applyDecorators(UseGuards(AuthGuard(\'jwt\'), RolesGuard))`, roles-only composite',
    truth: { 'ProjectsController.list': 'open', 'ProjectsController.create': 'auth' },
  },
  'passport-strategies': {
    title: 'passport strategies: local, jwt, jwt-refresh, google; `AuthGuard([...])` at class level',
    truth: {
      'AuthController.login': 'design', 'AuthController.refresh': 'design', 'AuthController.google': 'design', 'AuthController.googleCallback': 'design',
      'AuthController.profile': 'auth', 'AuthController.register': 'design', 'AccountsController.list': 'auth',
    },
  },
  'entry-points': {
    title: 'open entry points: login/sign-up/refresh/logout/confirm/reset/OAuth callback, HMAC webhook, terminus health',
    truth: {
      'AuthController.signIn': 'design', 'AuthController.signUp': 'design', 'AuthController.refresh': 'design', 'AuthController.logout': 'design',
      'AuthController.confirmEmail': 'design', 'AuthController.forgotPassword': 'design', 'AuthController.githubCallback': 'design',
      'WebhooksController.billing': 'design', 'HealthController.check': 'design', 'OpsController.ready': 'design', 'OpsController.reports': 'open',
    },
  },
  'unknown-and-own-credentials': {
    title: 'guard from a package, API-key guard, decode-only guard, `AuthGuard(\'jwt\')`',
    truth: { 'PartnersController.acme': 'unknown', 'PartnersController.keyed': 'auth', 'PartnersController.decoded': 'unknown', 'PartnersController.mine': 'auth' },
  },
};

function layOut(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  for (const f of readdirSync(FIXTURES)) {
    if (f === `${name}.input.ts`) cpSync(join(FIXTURES, f), join(dir, 'src', 'app.ts'));
    const extra = f.startsWith(`${name}.extra.`) ? f.slice(`${name}.extra.`.length) : undefined;
    if (extra) cpSync(join(FIXTURES, f), join(dir, 'src', extra));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, dependencies: { '@bastion/nest': '0.1.0', '@nestjs/common': '^11.0.0', '@nestjs/core': '^11.0.0', '@nestjs/passport': '^11.0.0' } }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, target: 'ES2022', module: 'commonjs', strict: true }, include: ['src'] }));
  return dir;
}

type Verdict = 'flagged' | 'unknown' | 'quiet';
function score(truth: Record<string, Truth>, verdicts: Map<string, Verdict>) {
  const cells = { openFlagged: 0, open: 0, authFlagged: 0, auth: 0, designFlagged: 0, design: 0, unknownSaid: 0, unknown: 0 };
  for (const [handler, t] of Object.entries(truth)) {
    const v = verdicts.get(handler) ?? 'quiet';
    cells[t]++;
    if (t === 'open' && v === 'flagged') cells.openFlagged++;
    if (t === 'auth' && v !== 'quiet') cells.authFlagged++;
    if (t === 'design' && v === 'flagged') cells.designFlagged++;
    if (t === 'unknown' && v === 'unknown') cells.unknownSaid++;
  }
  return cells;
}

const root = mkdtempSync(join(tmpdir(), 'bastion-vs-doctor-'));
const rows: string[] = [];
try {
  execFileSync('npm', ['install', '--prefix', join(root, 'doctor'), '--no-audit', '--no-fund', '--loglevel=error', `nestjs-doctor@${DOCTOR_VERSION}`], { stdio: 'inherit' });
  const doctorBin = join(root, 'doctor', 'node_modules', '.bin', 'nestjs-doctor');
  for (const [name, { title, truth }] of Object.entries(PROJECTS)) {
    const dir = layOut(root, name);
    const bastion = JSON.parse(spawnSync(process.execPath, [CLI, 'audit', '--format', 'json'], { cwd: dir, encoding: 'utf8' }).stdout) as {
      findings: Array<{ rule: string; handler?: string }>; routes: Array<{ handler: string; file: string; line: number }>;
    };
    // Both tools report a handler at the line its method (decorators included) starts on.
    const handlerAt = new Map(bastion.routes.map((r) => [`${join(dir, r.file)}:${r.line}`, r.handler]));
    const doctor = JSON.parse(spawnSync(doctorBin, ['.', '--json'], { cwd: dir, encoding: 'utf8' }).stdout) as { diagnostics: Array<{ rule: string; filePath: string; line: number }> };
    const doctorVerdicts = new Map<string, Verdict>();
    for (const d of doctor.diagnostics.filter((x) => x.rule.endsWith('require-guards-on-endpoints'))) {
      const handler = handlerAt.get(`${d.filePath}:${d.line}`);
      if (!handler) throw new Error(`nestjs-doctor reported ${d.filePath}:${d.line}, which is no route`);
      doctorVerdicts.set(handler, 'flagged');
    }
    const bastionVerdicts = new Map<string, Verdict>();
    for (const f of bastion.findings) {
      if (!f.handler) continue;
      if (f.rule === 'unprotected-route') bastionVerdicts.set(f.handler, 'flagged');
      else if (f.rule === 'unknown-protection' && bastionVerdicts.get(f.handler) !== 'flagged') bastionVerdicts.set(f.handler, 'unknown');
    }
    const b = score(truth, bastionVerdicts);
    const d = score(truth, doctorVerdicts);
    const cell = (x: ReturnType<typeof score>) => [
      `${x.openFlagged}/${x.open}`, `${x.authFlagged}/${x.auth}`, `${x.designFlagged}/${x.design}`, x.unknown ? `${x.unknownSaid}/${x.unknown}` : '–',
    ];
    rows.push(`| ${name}: ${title} | ${Object.keys(truth).length} | ${cell(b).join(' | ')} | ${cell(d).join(' | ')} |`);
    console.log(name, { bastion: b, doctor: d });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const table = [
  '| fixture project | routes | bastion: open flagged | bastion: protected flagged | bastion: entry points / public flagged | bastion: unknown said | nestjs-doctor: open flagged | nestjs-doctor: protected flagged | nestjs-doctor: entry points / public flagged | nestjs-doctor: unknown said |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(`\n${table}`);
writeFileSync(join(import.meta.dirname, 'nestjs-doctor-compare.results.md'), `# bastion audit vs nestjs-doctor ${DOCTOR_VERSION} (require-guards-on-endpoints)\n\nNode ${process.version}, ${new Date().toISOString()}, \`cd bench && node --import @swc-node/register/esm-register nestjs-doctor-compare.ts\`.\n\nHigher is better for "open flagged" and "unknown said"; lower is better for "protected flagged" and "entry points / public flagged".\n\n${table}\n`);
