// Builds the collection as CommonJS (the Angular devkit loads factories with `require`) and copies
// collection.json, every schema.json and the repository's templates/ into dist/.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS build script */
const { execFileSync } = require('node:child_process');
const { cpSync, readdirSync, rmSync, statSync, mkdirSync } = require('node:fs');
const { join, relative, dirname } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

function copyJson(dir) {
  for (const entry of readdirSync(dir)) {
    const file = join(dir, entry);
    if (statSync(file).isDirectory()) copyJson(file);
    else if (entry.endsWith('.json')) {
      const target = join(dist, relative(join(root, 'src'), file));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(file, target);
    }
  }
}
copyJson(join(root, 'src'));
cpSync(join(root, '..', 'templates'), join(dist, 'templates'), { recursive: true });
