import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRetrofit } from '../../src/format/retrofit-format.js';
import { retrofitWorkspace } from '../../src/retrofit.js';
import { casePath, caseWorkspace, discoverCases, type FixtureCase } from '../helpers/fixtures.js';

const cases = discoverCases();

/** Rules in generated DTO source that bound a value beyond its TypeScript type, as `[Class.field, '@Rule(args)']`. */
function boundsIn(source: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const cls of source.matchAll(/export class (\w+) \{\n([\s\S]*?)\n\}/g)) {
    for (const member of cls[2]!.split('\n\n')) {
      const name = /^\s*['"]?([\w$-]+)['"]?[!?]:/m.exec(member)?.[1];
      for (const d of member.matchAll(/@(MaxLength|MinLength|ArrayMaxSize|Min|Max|IsInt|IsEmail|IsUUID|IsISO8601)\(([^)]*)\)/g)) {
        const args = d[2]!.replace(/,?\s*\{ each: true \}/, '').replace(/^(\{\}|undefined)$/, '');
        out.push([`${cls[1]}.${name}`, `@${d[1]}(${args})`]);
      }
    }
  }
  return out;
}
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
      if (c.options.bounds) expect(report.dtoBounds.map((b) => `${b.origin} ${b.field} ${b.rule}`)).toEqual(c.options.bounds);
    });

    it('lists every bound its DTOs enforce beyond the declared types, invented ones in the dry-run table', () => {
      const { report, dto } = run(c);
      const listed = new Map<string, Set<string>>();
      for (const b of report.dtoBounds) listed.set(b.field, new Set([...(listed.get(b.field) ?? []), ...b.rule.split(/ (?=@)/)]));
      for (const [field, rule] of boundsIn(dto ?? '')) expect(listed.get(field), `${field} ${rule}`).toContain(rule);
      const invented = report.dtoBounds.filter((b) => b.origin === 'invented');
      const table = formatRetrofit(report);
      if (invented.length) expect(table).toContain(`Invented validation (${invented.length})`);
      for (const b of invented) expect(table).toMatch(new RegExp(`${b.field.replace('.', '\\.')}\\s+${b.rule.replace(/[()]/g, '\\$&')}\\s`));
    });

    it('is a no-op the second time', () => {
      const first = run(c);
      const again = retrofitWorkspace(first.ws, { transforms: c.options.transforms ?? [c.transform], dryRun: true, lockDown: c.options.lockDown });
      expect(again.files.map((f) => f.file)).toEqual([]);
      expect(again.changes).toEqual([]);
    });
  });
});
