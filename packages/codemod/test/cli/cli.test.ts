import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bastion, ensureBuilt } from '../helpers/cli.js';

const APP = join(import.meta.dirname, '..', 'fixtures', 'app');
// The OASIS SARIF 2.1.0 schema (rtm.5, the final committee specification) as shipped by @microsoft/jest-sarif.
// unicodeRegExp: false because one of its language-tag patterns is not valid under the `u` flag.
const SARIF_SCHEMA = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

let work: string;

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'bastion-cli-'));
  cpSync(APP, work, { recursive: true });
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bastion audit', () => {
  it('prints the route table with full paths and exits 0 without --fail-on', () => {
    const r = bastion(['audit'], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('/api/v1/orders/:id');
    expect(r.stdout).toContain('unvalidated-body');
    expect(r.stdout).not.toContain('/api/health/v1');
  });

  it('exits 1 when a finding matches --fail-on, 0 when none does', () => {
    expect(bastion(['audit', '--fail-on', 'unvalidated-body'], work).code).toBe(1);
    expect(bastion(['audit', '--fail-on', 'error'], work).code).toBe(1);
    expect(bastion(['audit', '--fail-on', 'unprotected-route'], work).code).toBe(0);
  });

  it('exits 2 on a usage error and on an unknown command', () => {
    const r = bastion(['audit', '--format', 'xml'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be one of');
    expect(bastion(['frobnicate'], work).code).toBe(2);
  });

  it('exits 1 with file context when the project does not exist', () => {
    const r = bastion(['audit', '--project', 'nope/tsconfig.json'], work);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nope/tsconfig.json');
    expect(r.stderr).toContain('ERR_PROJECT_NOT_FOUND');
  });

  it('emits JSON with routes and findings', () => {
    const r = bastion(['audit', '--format', 'json'], work);
    const report = JSON.parse(r.stdout) as { routes: Array<{ method: string; path: string }>; findings: Array<{ rule: string }> };
    expect(report.routes.map((x) => `${x.method} ${x.path}`)).toContain('DELETE /api/v1/orders/:id');
    expect(new Set(report.findings.map((f) => f.rule))).toEqual(
      new Set(['baseline-public-route', 'unvalidated-body', 'unvalidated-query', 'missing-access-decision', 'unparsed-id', 'inline-authz']),
    );
  });

  it('emits SARIF that validates against the SARIF 2.1.0 schema', () => {
    const r = bastion(['audit', '--format', 'sarif'], work);
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }> };
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')) as object);
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(log.runs[0]!.results.length).toBeGreaterThan(5);
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(0);
  });

  it('the schema check rejects a broken log (the validator is live)', () => {
    const ajv = new AjvDraft04.default({ strict: false, unicodeRegExp: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')) as object);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it('writes a self-contained HTML report with --output', () => {
    const r = bastion(['audit', '--format', 'html', '--output', 'audit.html'], work);
    expect(r.code).toBe(0);
    const html = readFileSync(join(work, 'audit.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('/api/v1/orders');
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
  });
});

describe('bastion retrofit', () => {
  it('--dry-run prints a unified diff and the summary, and writes nothing', () => {
    const before = readFileSync(join(work, 'src/orders.controller.ts'), 'utf8');
    const r = bastion(['retrofit', '--dry-run'], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--- a/src/orders.controller.ts');
    expect(r.stdout).toContain("+  @RequireScopes('orders:read')");
    expect(r.stdout).toContain('+++ b/src/orders.dto.ts');
    expect(r.stdout).toContain('Access decisions');
    expect(r.stdout).toContain('same if their tokens carry the scope');
    expect(r.stdout).toContain('dry run, nothing written');
    expect(r.stderr).not.toContain('['); // no progress bar when not a TTY
    expect(readFileSync(join(work, 'src/orders.controller.ts'), 'utf8')).toBe(before);
  });

  it('--lock-down scopes the routes the app leaves open and says they lose callers; without it they keep their markers', () => {
    const plain = bastion(['retrofit', '--dry-run', '--transforms', 'scopes'], work);
    expect(plain.stdout).not.toContain("RequireScopes('health:write')");
    const locked = bastion(['retrofit', '--dry-run', '--transforms', 'scopes', '--lock-down'], work);
    expect(locked.code).toBe(0);
    expect(locked.stdout).toContain("+  @RequireScopes('health:write')");
    expect(locked.stdout).toMatch(/POST\s+\/api\/health\/ping\s+HealthController\.ping\s+open \(baseline marker\)\s+requires scope health:write\s+FEWER \(was open\)/);
    expect(locked.stdout).toContain('1 lose callers');
  });

  it('rejects an unknown transform with exit 2', () => {
    const r = bastion(['retrofit', '--transforms', 'scopes,magic'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown transform "magic"');
  });

  it('--include limits the files, then a real run writes and a second run changes nothing', () => {
    const only = bastion(['retrofit', '--dry-run', '--include', 'src/health.*'], work);
    expect(only.stdout).toContain('src/health.controller.ts');
    expect(only.stdout).not.toContain('--- a/src/orders.controller.ts');
    expect(bastion(['retrofit'], work).code).toBe(0);
    expect(readFileSync(join(work, 'src/orders.dto.ts'), 'utf8')).toContain('export class CreateOrderDto');
    const again = bastion(['retrofit', '--json'], work);
    expect((JSON.parse(again.stdout) as { files: unknown[] }).files).toEqual([]);
    const audit = bastion(['audit', '--fail-on', 'unvalidated-query,unparsed-id,inline-authz,missing-access-decision'], work);
    expect(audit.code).toBe(0);
  });

  it('skips the scope transforms with the install command when @bastion/nest is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-cli-nodep-'));
    cpSync(APP, dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', dependencies: { '@nestjs/common': '12.5.1' } }));
    writeFileSync(join(dir, 'pnpm-lock.yaml'), 'lockfileVersion: 9.0\n');
    const r = bastion(['retrofit', '--dry-run'], dir);
    expect(r.stdout).toContain('run `pnpm add @bastion/nest` first');
    expect(r.stdout).not.toContain('RequireScopes');
    expect(r.stdout).toContain('ParseIntPipe');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('bastion keys', () => {
  it('dispatches to the keys command', () => {
    const r = bastion(['keys', '--help'], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: bastion keys');
    expect(r.stdout).not.toContain('Usage: bastion <command>');
  });
});
