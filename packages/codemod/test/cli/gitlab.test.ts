import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bastion, ensureBuilt } from '../helpers/cli.js';

/**
 * GitLab's documented Code Quality report format (docs.gitlab.com, "Code Quality report format"): a JSON array of
 * objects with `description`, `check_name`, `fingerprint`, `severity` (info, minor, major, critical, blocker),
 * `location.path` (relative to the repository) and `location.lines.begin`.
 */
const CODE_QUALITY_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', pattern: '^[0-9a-f]{32,64}$' },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path', 'lines'],
        properties: {
          path: { type: 'string', pattern: '^(?!/)(?!\\.\\./).+' },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 } } },
        },
      },
    },
  },
};

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'bastion-gitlab-'));
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'app'), work, { recursive: true });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bastion audit --format gitlab', () => {
  it('writes a Code Quality report that matches GitLab\'s documented shape, with unique fingerprints', () => {
    const r = bastion(['audit', '--format', 'gitlab'], work);
    expect(r.code).toBe(0);
    const issues = JSON.parse(r.stdout) as Array<{ check_name: string; fingerprint: string; severity: string; location: { path: string } }>;
    const validate = new Ajv.default({ allErrors: true, strict: true }).compile(CODE_QUALITY_SCHEMA);
    expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
    expect(issues.length).toBeGreaterThan(5);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    expect(issues.find((i) => i.check_name === 'unvalidated-body' && i.location.path === 'src/orders.controller.ts')).toMatchObject({ severity: 'critical' });
    expect(issues.find((i) => i.check_name === 'unparsed-id')!.severity).toBe('minor');
  });

  it('the shape check rejects a broken report (the validator is live)', () => {
    const validate = new Ajv.default({ strict: true }).compile(CODE_QUALITY_SCHEMA);
    expect(validate([{ description: 'x', check_name: 'y', fingerprint: 'z', severity: 'error', location: { path: '/abs', lines: { begin: 0 } } }])).toBe(false);
  });

  it('keeps a fingerprint when code above the finding moves', () => {
    const before = JSON.parse(bastion(['audit', '--format', 'gitlab'], work).stdout) as Array<{ fingerprint: string; location: { lines: { begin: number } } }>;
    const file = join(work, 'src', 'orders.controller.ts');
    writeFileSync(file, `// a comment that moves everything down\n${readFileSync(file, 'utf8')}`);
    const after = JSON.parse(bastion(['audit', '--format', 'gitlab'], work).stdout) as typeof before;
    expect(after.map((i) => i.fingerprint)).toEqual(before.map((i) => i.fingerprint));
    expect(after.map((i) => i.location.lines.begin)).not.toEqual(before.map((i) => i.location.lines.begin));
  });
});

