import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC emits decorator metadata (esbuild/oxc defaults do not); Nest's DI depends on it.
// packages/nest/test/metadata.test.ts fails if this plugin is removed.
const plugins = [swc.vite({ jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true } } })];

export default defineConfig({
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
