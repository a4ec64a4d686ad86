import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bastion, ensureBuilt } from '../helpers/cli.js';

let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
type Report = { routes: Array<{ handler: string; path: string }>; findings: Array<{ rule: string; file: string; handler?: string }>; changedSince?: { ref: string; files: string[] }; score?: { score: number } };
const audit = (...args: string[]) => bastion(['audit', '--format', 'json', ...args], repo);

beforeAll(() => {
  ensureBuilt();
  repo = mkdtempSync(join(tmpdir(), 'bastion-changed-'));
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'app'), repo, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('tag', 'base');
  // A pull request: one new route with an unvalidated body, a pure rename, and a new untracked controller.
  const orders = join(repo, 'src', 'orders.controller.ts');
  writeFileSync(orders, readFileSync(orders, 'utf8').replace("  // Creates an order for the caller.", "  @Post('bulk')\n  bulk(@Body() body: any) {\n    return body;\n  }\n\n  // Creates an order for the caller."));
  git('mv', 'src/health.controller.ts', 'src/status.controller.ts');
  git('commit', '-q', '-am', 'change');
  writeFileSync(join(repo, 'src', 'tags.controller.ts'), "import { Controller, Get } from '@nestjs/common';\n\n@Controller('tags')\nexport class TagsController {\n  @Get()\n  list() {\n    return [];\n  }\n}\n");
}, 120_000);
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('bastion audit --changed', () => {
  it('reports only the routes and findings changed since the ref; a pure rename adds none', () => {
    const full = JSON.parse(audit().stdout) as Report;
    const r = audit('--changed', 'base');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.changedSince?.ref).toBe('base');
    // The rename (no content change) has no changed lines, so it is not listed.
    expect(report.changedSince?.files).toEqual(['src/orders.controller.ts', 'src/tags.controller.ts']);
    expect(report.routes.map((x) => x.handler).sort()).toEqual(['OrdersController.bulk', 'TagsController.list']);
    expect(report.findings.map((f) => `${f.rule} ${f.handler ?? f.file}`).sort()).toEqual([
      'missing-access-decision OrdersController.bulk', 'missing-access-decision TagsController.list', 'unvalidated-body OrdersController.bulk',
    ]);
    // The renamed health controller still has its baseline marker and untyped body: not part of this change.
    expect(full.findings.some((f) => f.file === 'src/status.controller.ts')).toBe(true);
    expect(report.score?.score).toBe(full.score?.score);
  });

  it('accepts a base...head range (committed changes only)', () => {
    const report = JSON.parse(audit('--changed', 'base...HEAD').stdout) as Report;
    expect(report.routes.map((x) => x.handler)).toEqual(['OrdersController.bulk']);
  });

  it('exits 2 with a clear message for a ref that does not exist or a directory outside git', () => {
    const missing = audit('--changed', 'no-such-branch');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('git ref "no-such-branch" does not exist');
    expect(audit('--changed', '--upload-pack=evil').code).toBe(2);
    const outside = mkdtempSync(join(tmpdir(), 'bastion-nogit-'));
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'app'), outside, { recursive: true });
    const r = bastion(['audit', '--changed', 'main'], outside);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs a git repository');
    rmSync(outside, { recursive: true, force: true });
  });
});
