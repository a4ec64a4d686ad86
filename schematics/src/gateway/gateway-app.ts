import { chain, externalSchematic, noop, SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { strings } from '@angular-devkit/core';
import { NodePackageInstallTask } from '@angular-devkit/schematics/tasks';
import { posix } from 'node:path';
import type { GatewayConfig } from '@bastion/codemod';
import { addDependencies, wireMain, wireRootModule } from '../init/init.factory';
import { registerInParentModule } from '../utils/parent-module';
import { overwrite, projectInfo, readJson, requireBastionSupport, writeNew } from '../utils/project';
import { render } from '../utils/render';
import { writeGatewayModule } from './gateway-files';

interface NestCliProject {
  root?: string;
  sourceRoot?: string;
}

interface NestCli {
  monorepo?: boolean;
  root?: string;
  sourceRoot?: string;
  compilerOptions?: { builder?: unknown; [key: string]: unknown };
  projects?: Record<string, NestCliProject>;
}

/** The folder (under the app's source root) and base name of the module holding the upstream routes. */
const ROUTES_MODULE = 'upstreams';

/**
 * The gateway as its own application `apps/<name>` of a Nest monorepo. The first run creates the app with
 * `@nestjs/schematics`' `sub-app` (which turns a standard project into a monorepo first, as `nest g app`
 * does), then wires it as `init` wires an app: BastionModule in its root module, `configureBastion(app)` in
 * its `main.ts`, its own `bastion.config.ts`; the routes go in `src/upstreams/`. Later runs rewrite only
 * the routes file.
 */
export function gatewayApp(name: string, upstreams: GatewayConfig['upstreams']): Rule {
  // sub-app's own normalisation of the name (kebab case).
  const app = strings.dasherize(name.replace(/\\/g, '/').split('/').pop()!);
  if (app === ROUTES_MODULE) throw new SchematicsException(`gateway --app: "${ROUTES_MODULE}" is the name of the app's routes module; choose another app name`);
  return (tree: Tree) => {
    const cli = readJson<NestCli>(tree, 'nest-cli.json') ?? {};
    const project = cli.projects?.[app];
    if (project) return writeRoutes(app, upstreams, false);
    const held: string[] = [];
    return chain([
      cli.monorepo ? noop() : holdBundlerPackages(held),
      externalSchematic('@nestjs/schematics', 'sub-app', { name: app, language: 'ts' }),
      cli.monorepo ? noop() : chain([finishConversion(cli), releaseBundlerPackages(held)]),
      dropSample(app),
      writeRoutes(app, upstreams, true),
    ]);
  };
}

function projectOf(tree: Tree, app: string): Required<NestCliProject> {
  const project = readJson<NestCli>(tree, 'nest-cli.json')?.projects?.[app];
  if (!project?.root || !project.sourceRoot) throw new SchematicsException(`nest-cli.json has no project "${app}" with a root and a sourceRoot`);
  return { root: project.root, sourceRoot: project.sourceRoot };
}

/**
 * The packages @nestjs/schematics' sub-app (12.0.13 and later) adds to package.json, and installs at once, for the
 * rspack builder it switches a converted project to. The project keeps its own builder (`finishConversion`), so
 * they are not wanted: the missing ones are held in devDependencies while sub-app runs (it adds, and installs,
 * only what is missing) and taken out after; sub-app versions without that step see them and do nothing.
 */
const BUNDLER_PACKAGES: Readonly<Record<string, string>> = {
  '@rspack/core': '^2.1.10',
  'fork-ts-checker-webpack-plugin': '^9.1.0',
  'tsconfig-paths-webpack-plugin': '^4.2.0',
  'webpack-node-externals': '^3.0.0',
};

type Manifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

function holdBundlerPackages(held: string[]): Rule {
  return (tree: Tree) => {
    const pkg = readJson<Manifest>(tree, 'package.json');
    if (!pkg) return;
    const missing = Object.keys(BUNDLER_PACKAGES).filter((name) => pkg.dependencies?.[name] === undefined && pkg.devDependencies?.[name] === undefined);
    if (!missing.length) return;
    pkg.devDependencies = { ...pkg.devDependencies, ...Object.fromEntries(missing.map((name) => [name, BUNDLER_PACKAGES[name]!])) };
    overwrite(tree, 'package.json', `${JSON.stringify(pkg, null, 2)}\n`);
    held.push(...missing);
  };
}

function releaseBundlerPackages(held: string[]): Rule {
  return (tree: Tree) => {
    const pkg = readJson<Manifest>(tree, 'package.json');
    if (!pkg?.devDependencies || !held.length) return;
    for (const name of held) delete pkg.devDependencies[name];
    if (!Object.keys(pkg.devDependencies).length) delete pkg.devDependencies;
    overwrite(tree, 'package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  };
}

/**
 * What the conversion leaves to do when sub-app runs inside another schematic. Its move of the default app
 * (`src/` and `test/` to `apps/<app>/`) deletes the old folders as a whole, which a merged branch does not
 * carry: the moved originals are deleted one by one. And sub-app switches the project to the rspack builder,
 * whose packages a new project does not have: the project keeps the builder it had (so the existing app builds
 * as before), and `start:prod` points at where that builder writes the default app (tsc keeps the folders
 * under `rootDir: "../.."`).
 */
function finishConversion(before: NestCli): Rule {
  return (tree: Tree) => {
    const cli = readJson<NestCli>(tree, 'nest-cli.json')!;
    const main = posix.join(before.sourceRoot ?? 'src', 'main.ts');
    // sub-app leaves the default app where it is under NODE_ENV=test: stop before writing a broken workspace.
    if (tree.exists(main) && !tree.exists(posix.join(cli.root ?? '', main))) {
      throw new SchematicsException(`gateway --app: @nestjs/schematics' sub-app did not move ${before.sourceRoot ?? 'src'}/ to ${cli.root}/ (it skips that step when NODE_ENV=test); nothing was written`);
    }
    const originals: string[] = [];
    for (const dir of [before.sourceRoot ?? 'src', 'test']) tree.getDir(dir).visit((file) => void originals.push(file));
    for (const file of originals) {
      const moved = tree.read(posix.join(cli.root ?? '', file));
      if (moved?.equals(tree.read(file)!)) tree.delete(file);
    }
    const options = { ...cli.compilerOptions };
    const previous = before.compilerOptions?.builder;
    if (previous === undefined) delete options.builder;
    else options.builder = previous;
    overwrite(tree, 'nest-cli.json', `${JSON.stringify({ ...cli, compilerOptions: options }, null, 2)}\n`);
    const builder = typeof previous === 'string' ? previous : (previous as { type?: string } | undefined)?.type;
    if (builder === 'webpack' || builder === 'rspack' || !cli.root) return;
    const pkg = readJson<{ scripts?: Record<string, string> }>(tree, 'package.json');
    const bundled = `node dist/${cli.root}/main`;
    if (pkg?.scripts?.['start:prod'] !== bundled) return;
    pkg.scripts['start:prod'] = `node dist/${cli.root}/${cli.root}/src/main`;
    overwrite(tree, 'package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  };
}

/**
 * sub-app's "Hello World!" controller, service and tests do not belong in a gateway (its e2e test expects an
 * open `GET /`, which Bastion denies by default): they are removed, with their references, when the root
 * module is exactly as sub-app wrote it; otherwise they are kept and reported.
 */
function dropSample(app: string): Rule {
  return (tree: Tree, context: SchematicContext) => {
    const { root, sourceRoot } = projectOf(tree, app);
    const modulePath = posix.join(sourceRoot, `${app}.module.ts`);
    const original = tree.read(modulePath)?.toString('utf8') ?? '';
    const cls = strings.classify(app);
    const js = "(?:\\.js)?';\\n";
    const sample = [
      new RegExp(`^import \\{ ${cls}Controller \\} from '\\./${app}\\.controller${js}`, 'm'),
      new RegExp(`^import \\{ ${cls}Service \\} from '\\./${app}\\.service${js}`, 'm'),
      new RegExp(`^  controllers: \\[${cls}Controller\\],\\n  providers: \\[${cls}Service\\],\\n`, 'm'),
    ];
    if (!sample.every((re) => re.test(original))) {
      context.logger.warn(`kept the sample controller of ${modulePath}: the module is not as sub-app writes it`);
      return;
    }
    overwrite(tree, modulePath, sample.reduce((text, re) => text.replace(re, ''), original));
    for (const file of [`${app}.controller.ts`, `${app}.service.ts`, `${app}.controller.spec.ts`]) {
      if (tree.exists(posix.join(sourceRoot, file))) tree.delete(posix.join(sourceRoot, file));
    }
    const e2e = posix.join(root, 'test');
    // One by one: a folder whose files this run created cannot be deleted as a whole.
    const tests: string[] = [];
    tree.getDir(e2e).visit((file) => void tests.push(file));
    for (const file of tests) tree.delete(file);
    // sub-app lists the new app's e2e config in the test:e2e script (`--projects … "./apps/<app>/test/jest-e2e.json"`).
    const pkg = readJson<{ scripts?: Record<string, string> }>(tree, 'package.json');
    const script = pkg?.scripts?.['test:e2e'];
    const listed = ` "./${posix.join(e2e, 'jest-e2e.json')}"`;
    if (pkg?.scripts && script?.includes(listed)) {
      pkg.scripts['test:e2e'] = script.replace(listed, '');
      overwrite(tree, 'package.json', `${JSON.stringify(pkg, null, 2)}\n`);
    }
  };
}

/** The routes (always) and, when the app was just created, its Bastion wiring: `init`'s own steps. */
function writeRoutes(app: string, upstreams: GatewayConfig['upstreams'], created: boolean): Rule {
  return (tree: Tree, context: SchematicContext) => {
    const { sourceRoot } = projectOf(tree, app);
    const info = projectInfo(tree, sourceRoot);
    const modulePath = writeGatewayModule(tree, context, posix.join(sourceRoot, ROUTES_MODULE), ROUTES_MODULE, upstreams, info.esm);
    if (!created) return;
    requireBastionSupport(info, 'gateway');
    const added = addDependencies(tree, context, info);
    const configFile = posix.join(sourceRoot, 'bastion.config.ts');
    writeNew(tree, context, configFile, render('init/bastion.config.ts', { authenticators: [] }));
    wireRootModule(tree, context, info, posix.join(sourceRoot, `${app}.module.ts`), configFile);
    wireMain(tree, context, info);
    registerInParentModule(tree, context, modulePath, `${strings.classify(ROUTES_MODULE)}Module`, info.esm);
    if (added.length) context.addTask(new NodePackageInstallTask({ packageManager: info.packageManager }));
  };
}
