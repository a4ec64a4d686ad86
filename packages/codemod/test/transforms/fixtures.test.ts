import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retrofitWorkspace } from '../../src/retrofit.js';
import { casePath, caseWorkspace, discoverCases, type FixtureCase } from '../helpers/fixtures.js';

const cases = discoverCases();
const UPDATE = process.env.UPDATE_FIXTURES === '1';

function run(c: FixtureCase) {
  const ws = caseWorkspace(c);
  const report = retrofitWorkspace(ws, { transforms: c.options.transforms ?? [c.transform], dryRun: true, lockDown: c.options.lockDown });
  const dto = ws.project.getSourceFile(casePath(c, `${c.name}.dto`));
  return { ws, report, output: ws.project.getSourceFileOrThrow(casePath(c)).getFullText(), dto: dto?.getFullText() };
}

describe('fixture pairs', () => {
  it('discovers a case for every transform', () => {
    for (const t of ['scopes', 'dtos', 'params', 'policies']) expect(cases.filter((c) => c.transform === t).length).toBeGreaterThan(2);
  });

  describe.each(cases.map((c) => [`${c.transform}/${c.name}`, c] as const))('%s', (_label, c) => {
    it('produces the expected output', () => {
      const { output, dto, report } = run(c);
      if (UPDATE) {
        writeFileSync(join(c.dir, `${c.name}.output.ts`), output);
        if (dto !== undefined) writeFileSync(join(c.dir, `${c.name}.dto.output.ts`), dto);
      }
      expect(output).toBe(c.output);
      expect(dto).toBe(c.dtoOutput);
      for (const r of c.options.reported ?? []) {
        expect(report.skipped.map((s) => s.reason).join('\n')).toContain(r);
      }
      const rows = report.accessChanges.map((a) => `${a.method} ${a.path} | ${a.before} | ${a.after} | ${a.callers ?? ''}`).join('\n');
      for (const a of c.options.access ?? []) expect(rows).toContain(a);
      for (const s of report.skipped) {
        expect(s.file).toMatch(/\S/);
        expect(s.line).toBeGreaterThan(0);
      }
    });

    it('is a no-op the second time', () => {
      const first = run(c);
      const again = retrofitWorkspace(first.ws, { transforms: c.options.transforms ?? [c.transform], dryRun: true, lockDown: c.options.lockDown });
      expect(again.files.map((f) => f.file)).toEqual([]);
      expect(again.changes).toEqual([]);
    });
  });
});
