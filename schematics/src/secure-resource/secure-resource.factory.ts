import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { strings } from '@angular-devkit/core';
import type { BastionConfig, FieldSpec } from '@bastion/codemod';
import { posix } from 'node:path';
import { logDefaults } from '../dto/dto.factory';
import { engine, withEngine } from '../utils/engine';
import { resourceNames, type ResourceNames } from '../utils/names';
import { hasDep, normalize, projectInfo, readBastionConfig, relativeImport, requireBastionSupport, writeNew, type ProjectInfo } from '../utils/project';
import { render } from '../utils/render';
import { registerInParentModule } from '../utils/parent-module';
import { invalidSample, literal, validSample } from '../utils/samples';
import type { SecureResourceOptions } from './schema';

const DEFAULT_FIELDS = 'name:string:1-100';

/** Fields the server owns: never accepted from a client in an input DTO. */
const SERVER_OWNED = new Set(['id', '_id', 'owner', 'ownerId', 'createdAt', 'updatedAt', 'deletedAt', 'createdBy', 'updatedBy']);

export function main(options: SecureResourceOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    if (!options.name) throw new SchematicsException('secure-resource needs a name: nest g -c @bastion/schematics sres orders');
    if (options.type && options.type !== 'rest') throw new SchematicsException(`secure-resource generates REST resources only (got --type ${options.type})`);
    if (options.language && options.language !== 'ts') throw new SchematicsException('secure-resource generates TypeScript only');
    const info = projectInfo(tree, options.sourceRoot);
    requireBastionSupport(info, 'secure-resource');
    const { config } = readBastionConfig(tree, context);
    const names = resourceNames(options.name);
    const resourceConfig = config.resources[names.fileName] ?? config.resources[options.name] ?? {};
    let fields = options.fields ? withEngine((e) => e.parseFieldList(options.fields!)) : (resourceConfig.fields ?? []);
    if (!fields.length) {
      context.logger.info(`no field list given (--fields or bastion.json resources.${names.fileName}.fields): using "${DEFAULT_FIELDS}"`);
      fields = engine().parseFieldList(DEFAULT_FIELDS);
    }
    const dropped = fields.filter((f) => SERVER_OWNED.has(f.name)).map((f) => f.name);
    if (dropped.length) context.logger.warn(`skipped server-owned field(s) ${dropped.join(', ')}: clients must not set them`);
    // Nested classes are named once here, so the entity and both DTOs agree on them.
    fields = fields.filter((f) => !SERVER_OWNED.has(f.name)).map((f) => (f.type === 'object' ? { ...f, className: `Create${names.singularClass}${strings.classify(f.name)}Dto` } : f));
    for (const action of templateActions(config)) {
      if (!/^[A-Za-z_$][\w$]*$/.test(action)) throw new SchematicsException(`bastion.json actions: "${action}" is not a valid identifier`);
    }
    const ownership = options.ownership ?? resourceConfig.ownership ?? false;
    const idType = options.idType ?? config.idType;
    const dir = normalize(posix.join(info.sourceRoot, options.path ?? '', names.dir, options.flat ? '' : names.fileName));
    for (const dep of ['class-validator', 'class-transformer', '@bastion/nest']) {
      if (!hasDep(info.pkg, dep)) context.logger.warn(`${dep} is not in package.json: run "nest g -c @bastion/schematics init" first`);
    }
    const files = resourceFiles({ names, fields, config, info, ownership, idType, dir, options, context });
    for (const [path, content] of files) writeNew(tree, context, path, content);

    if (options.skipImport) context.logger.info('skipped module registration: --skip-import');
    else registerInParentModule(tree, context, `${dir}/${names.fileName}.module.ts`, `${names.className}Module`, info.esm);
    return tree;
  };
}

/** The actions the generated controller names as properties of its scopes constant. */
function templateActions(config: BastionConfig): string[] {
  return [...new Set((['GET', 'POST', 'PATCH', 'DELETE'] as const).map((m) => config.actions[m]))];
}

interface Inputs {
  names: ResourceNames;
  fields: FieldSpec[];
  config: BastionConfig;
  info: ProjectInfo;
  ownership: boolean;
  idType: 'uuid' | 'int';
  dir: string;
  options: SecureResourceOptions;
  context: SchematicContext;
}

/** Every generated file, path → content, in a stable order. */
export function resourceFiles(i: Inputs): Map<string, string> {
  const { names, config, info, dir } = i;
  const js = info.esm ? '.js' : '';
  const e = engine();
  const scopes = templateActions(config).map((a) => [a, e.scopeName(config, names.fileName, a)] as const);
  const idTs = i.idType === 'uuid' ? 'string' : 'number';
  const base = {
    ...names,
    js,
    idType: i.idType,
    idTs,
    idPipe: i.idType === 'uuid' ? 'ParseUUIDPipe' : 'ParseIntPipe',
    ownership: i.ownership,
    swagger: info.swagger,
    route: names.fileName,
    scopeFormat: config.scopeFormat,
  };
  const files = new Map<string, string>();
  const dtoOptions = { ...config, swagger: info.swagger };
  const createName = `Create${names.singularClass}Dto`;
  const create = e.renderDto(createName, i.fields, { ...dtoOptions, doc: '/** Input of a create request; the server sets id, owner and timestamps. */' });
  const nested = new Map([...create.classes.keys()].filter((n) => n !== createName).map((n) => [n, `./create-${names.singularFile}.dto${js}`] as const));
  const update = e.renderDto(`Update${names.singularClass}Dto`, i.fields, {
    ...dtoOptions, allOptional: true, declared: nested, doc: '/** Input of a partial update: every field optional, the same rules. */',
  });
  logDefaults(i.context, create);
  const createFile = `${dir}/dto/create-${names.singularFile}.dto.ts`;

  const bastionNames = ['RequireScopes', ...(i.ownership ? ['CurrentPrincipal', 'UsePolicy'] : []), ...(config.defaultBoundary !== 'public' ? ['Boundary'] : [])].sort();
  const bastionImport = `import { ${bastionNames.join(', ')} } from '@bastion/nest';` + (i.ownership ? `\nimport type { Principal } from '@bastion/nest';` : '');

  files.set(`${dir}/${names.fileName}.scopes.ts`, render('secure-resource/scopes.ts', { ...base, scopes }));
  files.set(`${dir}/${names.fileName}.module.ts`, render('secure-resource/module.ts', base));
  files.set(`${dir}/${names.fileName}.controller.ts`, render('secure-resource/controller.ts', {
    ...base,
    bastionImport,
    actions: config.actions,
    scopeList: scopes.map(([, s]) => `\`${s}\``).join(', '),
    boundary: config.defaultBoundary !== 'public' ? config.defaultBoundary : '',
  }));
  files.set(`${dir}/${names.fileName}.service.ts`, render('secure-resource/service.ts', { ...base, defaultLimit: config.pagination.defaultLimit }));
  files.set(`${dir}/entities/${names.singularFile}.entity.ts`, entity(i, [...nested.keys()], js));
  files.set(createFile, e.renderDtoFile(create));
  files.set(`${dir}/dto/update-${names.singularFile}.dto.ts`, e.renderDtoFile(update));
  files.set(`${dir}/dto/list-${names.fileName}.query.ts`, render('secure-resource/list-query.ts', { ...base, maxLimit: config.pagination.maxLimit }));
  if (i.ownership) {
    files.set(`${dir}/policies/${names.singularFile}-owner.policy.ts`, render('secure-resource/owner-policy.ts', {
      ...base,
      idFromParam: i.idType === 'uuid' ? "ctx.params['id'] ?? ''" : "Number(ctx.params['id'])",
    }));
  }
  if (i.options.spec !== false) {
    if (!info.testRunner) {
      i.options.spec = false;
    } else {
      const suffix = i.options.specFileSuffix ?? 'spec';
      const sample = literal(validSample(i.fields));
      files.set(`${dir}/${names.fileName}.service.${suffix}.ts`, render('secure-resource/service.spec.ts', { ...base, runner: info.testRunner, validBody: sample }));
      const invalid = invalidSample(i.fields, config.maxStringLength);
      // A too-long string is the value the 400 must not echo back.
      const rejected = Object.values(invalid).find((v): v is string => typeof v === 'string' && v.length > 16);
      const e2e = `test/${names.fileName}.e2e-spec.ts`;
      files.set(e2e, render('secure-resource/e2e-spec.ts', {
        ...base,
        runner: info.testRunner,
        platform: info.platform,
        modulePath: relativeImport(e2e, `${dir}/${names.fileName}.module.ts`, info.esm),
        scopesPath: relativeImport(e2e, `${dir}/${names.fileName}.scopes.ts`, info.esm),
        validBody: sample,
        invalidBody: literal(invalid),
        rejected: rejected === undefined ? '' : literal(rejected),
        readAction: config.actions.GET,
        writeAction: config.actions.POST,
      }));
    }
  }
  return files;
}

function entity(i: Inputs, nested: string[], js: string): string {
  const fields = i.fields.map((f) => `  ${f.name}${f.optional ? '?' : '!'}: ${engine().fieldType(f)};\n`).join('');
  const used = nested.filter((n) => fields.includes(n));
  const imports = used.length ? `import type { ${used.sort().join(', ')} } from '../dto/create-${i.names.singularFile}.dto${js}';\n\n` : '';
  return imports + render('secure-resource/entity.ts', { ...i.names, idTs: i.idType === 'uuid' ? 'string' : 'number', ownership: i.ownership, entityFields: fields });
}
