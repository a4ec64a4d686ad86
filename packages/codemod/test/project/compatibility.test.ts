import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASTION_NEST_REQUIRES, checkCompatibility, describeCompatibility, packageVersion } from '../../src/project/compatibility.js';

describe('the version gate', () => {
  it('holds @bastion/nest\'s own peer range of NestJS', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'nest', 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
    expect(pkg.peerDependencies['@nestjs/core']).toBe(BASTION_NEST_REQUIRES['@nestjs/core']);
    expect(pkg.peerDependencies['@nestjs/common']).toBe(BASTION_NEST_REQUIRES['@nestjs/core']);
  });

  it('takes the installed version first, else the lowest the declared range allows', () => {
    const pkg = { dependencies: { '@nestjs/core': '^7.6.15' }, devDependencies: { typescript: '~3.8.3', tsx: 'latest' } };
    expect(packageVersion('@nestjs/core', '12.5.1', pkg)).toEqual({ name: '@nestjs/core', version: '12.5.1', source: 'installed' });
    expect(packageVersion('@nestjs/core', undefined, pkg)).toEqual({ name: '@nestjs/core', version: '7.6.15', source: 'package.json', range: '^7.6.15' });
    expect(packageVersion('typescript', undefined, pkg)?.version).toBe('3.8.3');
    expect(packageVersion('typescript', undefined, { devDependencies: { typescript: 'npm:typescript@^5.4.0' } })?.version).toBe('5.4.0');
    expect(packageVersion('tsx', undefined, pkg)).toBeUndefined();
    expect(packageVersion('rxjs', undefined, pkg)).toBeUndefined();
  });

  it.each([
    ['11.0.0', '5.0.0', true],
    ['12.5.1', '6.0.3', true],
    ['12.1.0-beta.0', '6.0.3', true],
    ['12.0.0-rc.1', '6.0.3', false],
    ['10.4.15', '5.7.3', false],
    ['11.1.0', '4.9.5', false],
    ['13.0.0', '6.0.3', false],
  ])('NestJS %s with TypeScript %s → @bastion/nest usable: %s', (nest, ts, ok) => {
    const c = checkCompatibility({ name: '@nestjs/core', version: nest, source: 'installed' }, { name: 'typescript', version: ts, source: 'installed' });
    expect(c.bastionNest).toBe(ok);
    expect(c.transformsCompile).toBe(true);
    expect(describeCompatibility(c) === '').toBe(ok);
  });

  it('gives the upgrade path step by step, and lets the transforms run from TypeScript 3.8 only', () => {
    const c = checkCompatibility({ name: '@nestjs/core', version: '8.4.7', source: 'installed' }, { name: 'typescript', version: '3.7.5', source: 'package.json', range: '3.7.5' }, 'pnpm add @bastion/nest');
    expect(c.problems).toEqual([
      '@nestjs/core 8.4.7 is installed; @bastion/nest needs @nestjs/core ^11.0.0 || ^12.0.0',
      "package.json asks for typescript 3.7.5; @bastion/nest supports TypeScript 5.0.0 or later",
    ]);
    expect(c.upgradePath).toEqual([
      "upgrade NestJS one major version at a time (8 → 9 → 10 → 11), following each step's migration guide (https://docs.nestjs.com/migration-guide)",
      'upgrade TypeScript to 5.0 or later (npm install -D typescript@^5)',
      'then add @bastion/nest (pnpm add @bastion/nest) and run bastion retrofit again: its scopes and policies transforms add the access decisions',
    ]);
    expect(c.transformsCompile).toBe(false);
    expect(c.transformsProblem).toBe('package.json asks for typescript 3.7.5; the generated DTOs and pipes are checked against TypeScript 3.8.0 and later only');
  });

  it('lets a project whose versions cannot be told through', () => {
    expect(checkCompatibility(undefined, undefined)).toMatchObject({ bastionNest: true, transformsCompile: true, problems: [], upgradePath: [] });
  });
});
