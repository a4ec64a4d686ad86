// The public API reports (packages/*/etc/*.api.md), made by API Extractor from the built ESM declarations.
//   node scripts/api-report.mjs --local   regenerate the reports (`pnpm api`)
//   node scripts/api-report.mjs           check them (`pnpm api:check`, part of `pnpm lint`): fails when the
//                                         public surface differs from the committed report, or on any warning
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** One config per entry point; configs of one package share one compiler program. */
const PACKAGES = {
  'packages/nest': ['api-extractor.json', 'api-extractor.testing.json', 'api-extractor.health.json', 'api-extractor.gateway.json'],
  'packages/codemod': ['api-extractor.json'],
};
const localBuild = process.argv.includes('--local');

// The reports are made from dist/: rebuild what is older than its sources (a no-op in CI, which builds first).
execFileSync(process.execPath, [join(ROOT, 'scripts', 'ensure-built.mjs')], { cwd: ROOT, stdio: 'inherit' });

const failed = [];
for (const [pkg, files] of Object.entries(PACKAGES)) {
  const configs = files.map((file) => ExtractorConfig.loadFileAndPrepare(join(ROOT, pkg, file)));
  const compilerState = CompilerState.create(configs[0], { additionalEntryPoints: configs.map((c) => c.mainEntryPointFilePath) });
  for (const config of configs) {
    mkdirSync(config.reportFolder, { recursive: true });
    const result = Extractor.invoke(config, { localBuild, compilerState, showVerboseMessages: false });
    if (!result.succeeded) failed.push(relative(ROOT, config.reportFilePath));
  }
}

if (failed.length > 0) {
  console.error(
    `\nAPI report check failed for ${failed.join(', ')}.\n` +
      (localBuild
        ? 'Fix the warnings above.'
        : 'Fix the warnings above; if the public API changed on purpose, run `pnpm api` and commit packages/*/etc/*.api.md.'),
  );
  process.exit(1);
}
console.log(localBuild ? 'API reports regenerated.' : 'API reports match the public surface.');
