import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRetrofit } from '../../src/format/retrofit-format.js';
import { retrofit } from '../../src/retrofit.js';
import type { RetrofitReport } from '../../src/report/types.js';

// A NestJS 7 + TypeScript 3.8 app (the realworld example's shape: inline and interface bodies, a keyed
// body, ids converted in handlers, auth middleware), type-checked with the real TypeScript 3.8 compiler
// against the real NestJS 7, class-validator 0.12 and class-transformer 0.3 typings (aliased dev
// dependencies of this package, linked in as the app's node_modules).
const PACKAGE = join(import.meta.dirname, '..', '..');
const FIXTURE = join(PACKAGE, 'test', 'fixtures', 'nest7-app');
const MODULES: Record<string, string> = {
  '@nestjs/common': '@nestjs/common-7',
  '@nestjs/core': '@nestjs/core-7',
  'class-validator': 'class-validator-0.12',
  'class-transformer': 'class-transformer-0.3',
  rxjs: 'rxjs-6',
  typescript: 'typescript-3.8',
};

let dir = '';
let report: RetrofitReport;

function tsc(): { code: number | null; output: string } {
  const r = spawnSync(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

function sources(root = join(dir, 'src')): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, e.name);
    if (e.isDirectory()) for (const [k, v] of sources(path)) out.set(k, v);
    else out.set(path.slice(dir.length + 1), readFileSync(path, 'utf8'));
  }
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bastion-nest7-'));
  cpSync(FIXTURE, dir, { recursive: true });
  for (const [name, alias] of Object.entries(MODULES)) {
    mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(realpathSync(join(PACKAGE, 'node_modules', alias)), join(dir, 'node_modules', name), 'dir');
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('retrofit on a NestJS 7 + TypeScript 3.8 app', () => {
  it('the app type-checks before, with TypeScript 3.8.3', () => {
    expect(JSON.parse(readFileSync(join(dir, 'node_modules', 'typescript', 'package.json'), 'utf8')).version).toBe('3.8.3');
    expect(tsc()).toEqual({ code: 0, output: '' });
  }, 120_000);

  it('writes no @bastion/nest import, and says why with the upgrade path', async () => {
    report = await retrofit({ project: 'tsconfig.json', cwd: dir });
    expect(report.files.length).toBeGreaterThan(0);
    for (const [file, text] of sources()) expect(text, file).not.toContain('@bastion/nest');
    expect(report.compatibility).toMatchObject({
      bastionNest: false,
      transformsCompile: true,
      nest: { name: '@nestjs/core', version: '7.6.18', source: 'installed' },
      typescript: { name: 'typescript', version: '3.8.3', source: 'installed' },
    });
    expect(report.transforms.map((t) => [t.name, t.status])).toEqual([['policies', 'skipped'], ['scopes', 'skipped'], ['dtos', 'ran'], ['params', 'ran']]);
    const text = formatRetrofit(report);
    expect(text).toContain('Versions — no @bastion/nest import was written:\n  - @nestjs/core 7.6.18 is installed; @bastion/nest needs @nestjs/core ^11.0.0 || ^12.0.0\n  - typescript 3.8.3 is installed;');
    expect(text).toContain('Upgrade path:\n  1. upgrade NestJS one major version at a time (7 → 8 → 9 → 10 → 11)');
    expect(text).toContain('  2. upgrade TypeScript to 5.0 or later');
    expect(text).toMatch(/scopes\s+skipped\s+0\s+1\s+@bastion\/nest cannot be used in this project yet: @nestjs\/core 7\.6\.18 is installed/);
  });

  it('still applies the transforms that need no @bastion/nest: DTOs and pipes', () => {
    const files = sources();
    expect(files.get('src/user/user.controller.ts')).toContain('async update(@Body() userData: UpdateUserDto)');
    expect(files.get('src/user/user.controller.ts')).toContain('async login(@Body() loginUser: LoginBodyDto)');
    expect(files.get('src/user/user.controller.ts')).toContain("async create(@Body('user') userData: CreateUserDto)");
    expect(files.get('src/article/article.controller.ts')).toContain("async findById(@Param('id', ParseIntPipe) id: number) {\n    return this.articleService.findById(id);");
    expect(files.get('src/article/article.controller.ts')).toContain("async remove(@Param('id', ParseIntPipe) id: number) {\n    return this.articleService.remove(id);");
    expect(files.get('src/article/article.controller.ts')).toContain('async findAll(@Query() query: FindAllQueryDto)');
    expect(files.get('src/article/article.dto.ts')).toContain('export class CreateArticleDto {');
    // main.ts registers a global ValidationPipe, so the DTOs take effect without Bastion.
    expect(report.skipped.map((s) => s.reason).join('\n')).not.toContain('ValidationPipe');
  });

  it('type-checks after, with TypeScript 3.8.3 and the NestJS 7 typings', () => {
    expect(tsc()).toEqual({ code: 0, output: '' });
  }, 120_000);

  it('takes bounds from the validators the app has and lists every invented one', () => {
    const line = (origin: string) => report.dtoBounds.filter((b) => b.origin === origin).map((b) => `${b.field} ${b.rule}`);
    expect(line('evidence')).toEqual(['UpdateUserDto.username @MaxLength(40)', 'UpdateUserDto.email @IsEmail() @MaxLength(120)', 'LoginBodyDto.email @IsEmail() @MaxLength(120)']);
    expect(line('invented')).toEqual(expect.arrayContaining([
      'LoginBodyDto.password @MaxLength(255)', 'CreateArticleDto.tagList @ArrayMaxSize(100)', 'CreateArticleDto.publishedAt @IsISO8601() @MaxLength(40)',
    ]));
    expect(formatRetrofit(report)).toContain('Invented validation (11) — the code never had these rules; confirm each');
  });

  it('a second run changes nothing', async () => {
    const again = await retrofit({ project: 'tsconfig.json', cwd: dir, dryRun: true });
    expect(again.files).toEqual([]);
  });
});
