// `pnpm check:packages`: lints every publishable package as it will be published, from its packed tarball.
//   publint (strict, suggestions included)  package.json fields, exports map, files that exist in the tarball
//   attw (profile strict)                    type resolution of every entry point under node10, node16 (CJS and
//                                            ESM) and bundler: no "masquerading", no "false CJS/ESM"
//   the schematics' collection               every factory and schema that collection.json names is packed
// Exits non-zero on any finding.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { ROOT, packAll } from './pack.mjs';

const work = mkdtempSync(join(tmpdir(), 'bastion-check-packages-'));
const problems = [];
try {
  const tarballs = packAll(work);
  for (const [name, tarball] of Object.entries(tarballs)) {
    console.log(`\n== ${name} (${tarball.slice(work.length + 1)})`);

    const { messages, pkg } = await publint({ pack: { tarball: readFileSync(tarball).buffer }, level: 'suggestion', strict: true });
    for (const message of messages) {
      console.log(`publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
      problems.push(`${name}: publint ${message.code}`);
    }
    if (messages.length === 0) console.log('publint: no findings');

    // The schematics are a Nest CLI collection with no importable entry (no `main`, no `exports`, no types):
    // attw then reports that the package has no types, which is correct, and its collection is checked below.
    try {
      execFileSync('pnpm', ['exec', 'attw', tarball, '--format', 'ascii', '--profile', 'strict', '--no-color'], { cwd: ROOT, stdio: 'inherit' });
    } catch {
      problems.push(`${name}: attw`);
    }

    if (name === '@bastion/schematics') problems.push(...checkCollection(tarball).map((p) => `${name}: ${p}`));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\npackage checks failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('\npackage checks passed: publint and attw clean for every publishable package.');

/** Unpacks the tarball and checks that the `schematics` collection and everything it names are in it. */
function checkCollection(tarball) {
  const dir = mkdtempSync(join(work, 'unpacked-'));
  execFileSync('tar', ['xzf', tarball, '-C', dir]);
  const root = join(dir, 'package');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (!manifest.schematics) return ['package.json has no "schematics" field'];
  const collectionFile = join(root, manifest.schematics);
  if (!existsSync(collectionFile)) return [`${manifest.schematics} is not in the tarball`];
  const collectionDir = join(collectionFile, '..');
  const missing = [];
  for (const [schematic, entry] of Object.entries(JSON.parse(readFileSync(collectionFile, 'utf8')).schematics)) {
    const factory = `${entry.factory.split('#')[0]}.js`;
    if (!existsSync(join(collectionDir, factory))) missing.push(`${schematic}: factory ${factory} is not in the tarball`);
    if (entry.schema && !existsSync(join(collectionDir, entry.schema))) missing.push(`${schematic}: schema ${entry.schema} is not in the tarball`);
  }
  console.log(missing.length === 0 ? 'collection: every factory and schema is packed' : missing.join('\n'));
  return missing;
}
