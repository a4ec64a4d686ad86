// Builds the package in the current directory twice: ESM (dist/esm) for NestJS 12 apps and
// CommonJS (dist/cjs) for NestJS 11 apps, which are CommonJS and would otherwise need require(esm).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', 'dist/esm'], { stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', 'dist/cjs', '--module', 'commonjs', '--moduleResolution', 'node10', '--ignoreDeprecations', '6.0'], { stdio: 'inherit' });
mkdirSync('dist/cjs', { recursive: true });
writeFileSync('dist/cjs/package.json', JSON.stringify({ type: 'commonjs' }) + '\n');
