import { strings } from '@angular-devkit/core';
import { SchematicsException, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import type { BastionConfig, FieldSpec, ResourceConfig } from '@bastion/codemod';
import { posix } from 'node:path';
import { engine, withEngine } from './engine';
import { resourceNames, type ResourceNames } from './names';
import { registerInParentModule } from './parent-module';
import { hasDep, normalize, projectInfo, readBastionConfig, requireBastionSupport, writeNew, type ProjectInfo } from './project';

/** Fields the server owns: never accepted from a client in an input DTO. */
const SERVER_OWNED = new Set(['id', '_id', 'owner', 'ownerId', 'createdAt', 'updatedAt', 'deletedAt', 'createdBy', 'updatedBy']);

/** The options every generating schematic shares (those `nest g` forwards, plus `fields`). */
export interface GenerationOptions {
  name: string;
  path?: string;
  sourceRoot?: string;
  flat?: boolean;
  language?: string;
  fields?: string;
}

/** A generating schematic: its name, alias and an example name (for the usage line). */
export interface GeneratingSchematic {
  name: string;
  alias: string;
  example: string;
  /** Default field list when neither `--fields` nor `bastion.json` gives one. */
  defaultFields: string;
  /** The HTTP methods whose `bastion.json` action the generated code names as a scope property. */
  actions: ReadonlyArray<'GET' | 'POST' | 'PATCH' | 'DELETE'>;
  /** Packages the generated code imports (a missing one is reported). */
  packages: string[];
}

/** What a generating schematic works from: the project, `bastion.json`, the names, the fields, the folder. */
export interface Generation {
  info: ProjectInfo;
  config: BastionConfig;
  names: ResourceNames;
  fields: FieldSpec[];
  /** `bastion.json` `resources.<name>` (empty when absent). */
  resource: ResourceConfig;
  /** The `bastion.json` actions of `schematic.actions`, each once, in order. */
  actions: string[];
  /** Folder the files go in (`src/orders`). */
  dir: string;
}

/**
 * Reads the project and `bastion.json` for one generated unit: the field list from `--fields`, else
 * `bastion.json` `resources.<name>.fields`, else the schematic's default; server-owned fields dropped
 * (clients must not set them); nested classes named once (`Create<Singular><Field>Dto`), so every file
 * agrees on them; scope actions checked; missing packages reported.
 */
export function prepareGeneration(tree: Tree, context: SchematicContext, schematic: GeneratingSchematic, options: GenerationOptions): Generation {
  if (!options.name) throw new SchematicsException(`${schematic.name} needs a name: nest g -c @bastion/schematics ${schematic.alias} ${schematic.example}`);
  if (options.language && options.language !== 'ts') throw new SchematicsException(`${schematic.name} generates TypeScript only`);
  const info = projectInfo(tree, options.sourceRoot);
  requireBastionSupport(info, schematic.name);
  const { config } = readBastionConfig(tree, context);
  const names = resourceNames(options.name);
  const resource = config.resources[names.fileName] ?? config.resources[options.name] ?? {};
  let fields = options.fields ? withEngine((e) => e.parseFieldList(options.fields!)) : (resource.fields ?? []);
  if (!fields.length) {
    context.logger.info(`no field list given (--fields or bastion.json resources.${names.fileName}.fields): using "${schematic.defaultFields}"`);
    fields = engine().parseFieldList(schematic.defaultFields);
  }
  const dropped = fields.filter((f) => SERVER_OWNED.has(f.name)).map((f) => f.name);
  if (dropped.length) context.logger.warn(`skipped server-owned field(s) ${dropped.join(', ')}: clients must not set them`);
  fields = fields.filter((f) => !SERVER_OWNED.has(f.name)).map((f) => (f.type === 'object' ? { ...f, className: `Create${names.singularClass}${strings.classify(f.name)}Dto` } : f));
  const actions = [...new Set(schematic.actions.map((m) => config.actions[m]))];
  for (const action of actions) {
    if (!/^[A-Za-z_$][\w$]*$/.test(action)) throw new SchematicsException(`bastion.json actions: "${action}" is not a valid identifier`);
  }
  for (const dep of schematic.packages) {
    if (hasDep(info.pkg, dep)) continue;
    const fix = dep === '@bastion/nest' || dep.startsWith('class-') ? 'run "nest g -c @bastion/schematics init" first' : `add it (${info.packageManager} ${info.packageManager === 'npm' ? 'install' : 'add'} ${dep})`;
    context.logger.warn(`${dep} is not in package.json: ${fix}`);
  }
  const dir = normalize(posix.join(info.sourceRoot, options.path ?? '', names.dir, options.flat ? '' : names.fileName));
  return { info, config, names, fields, resource, actions, dir };
}

/** `[action, scope]` pairs for the generated `<name>.scopes.ts` (`['read', 'orders:read']`). */
export function scopePairs(g: Generation): Array<readonly [string, string]> {
  return g.actions.map((a) => [a, engine().scopeName(g.config, g.names.fileName, a)] as const);
}

/** Writes the files (never over a file the user changed) and registers the module in its parent module. */
export function writeGeneration(tree: Tree, context: SchematicContext, g: Generation, files: Map<string, string>, skipImport: boolean | undefined): void {
  for (const [path, content] of files) writeNew(tree, context, path, content);
  if (skipImport) context.logger.info('skipped module registration: --skip-import');
  else registerInParentModule(tree, context, `${g.dir}/${g.names.fileName}.module.ts`, `${g.names.className}Module`, g.info.esm);
}
