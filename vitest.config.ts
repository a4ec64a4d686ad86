import { createRequire } from 'node:module';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// graphql ships CommonJS (`main`) and ESM (`module`) builds; Node loads the CommonJS one for the
// drivers, Vite would give inlined sources the ESM one: two graphql instances ("another realm").
const graphqlMain = (() => {
  try {
    return createRequire(new URL('./packages/nest/package.json', import.meta.url)).resolve('graphql');
  } catch {
    return undefined;
  }
})();

// SWC emits decorator metadata (esbuild/oxc defaults do not); Nest's DI depends on it.
// packages/nest/test/metadata.test.ts fails if this plugin is removed.
const plugins = [swc.vite({ jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true } } })];

export default defineConfig({
  resolve: { alias: graphqlMain ? [{ find: /^graphql$/, replacement: graphqlMain }] : [] },
  test: {
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, plugins, test: { name: 'nest', root: 'packages/nest', include: ['test/**/*.test.ts'], setupFiles: ['test/support/log-capture.setup.ts'] } },
      { extends: true, plugins, test: { name: 'codemod', root: 'packages/codemod', include: ['test/**/*.test.ts'] } },
      { extends: true, plugins, test: { name: 'schematics', root: 'schematics', include: ['test/**/*.test.ts'] } },
      { extends: true, plugins, test: { name: 'demo', root: 'examples/orders-api', include: ['test/**/*.test.ts'] } },
      { extends: true, plugins, test: { name: 'examples', root: 'examples/api-keys-postgres', include: ['test/**/*.test.ts'] } },
      { extends: true, plugins, test: { name: 'cross', root: 'test', include: ['**/*.test.ts'], exclude: ['**/node_modules/**', 'fixtures/**'], globalSetup: ['support/tarballs.setup.ts'] } },
    ],
  },
});
