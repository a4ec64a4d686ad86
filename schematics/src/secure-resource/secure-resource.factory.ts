import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { posix } from 'node:path';
import { readBastionConfig, scopeName, type BastionProjectConfig } from '../utils/bastion-config';
import { dtoCode, invalidSample, literal, packageImports, validSample } from '../utils/dto-code';
import { dropServerOwned, nestedClassName, normalizeFields, type FieldSpec } from '../utils/fields';
import { resourceNames, type ResourceNames } from '../utils/names';
import { hasDep, normalize, projectInfo, relativeImport, writeNew, type ProjectInfo } from '../utils/project';
import { render } from '../utils/render';
import { registerInParentModule } from '../utils/parent-module';
import type { SecureResourceOptions } from './schema';

const DEFAULT_FIELDS = 'name:string:1-100';

export function main(options: SecureResourceOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    if (!options.name) throw new SchematicsException('secure-resource needs a name: nest g -c @bastion/schematics sres orders');
    if (options.type && options.type !== 'rest') throw new SchematicsException(`secure-resource generates REST resources only (got --type ${options.type})`);
    if (options.language && options.language !== 'ts') throw new SchematicsException('secure-resource generates TypeScript only');
    const info = projectInfo(tree, options.sourceRoot);
    const { config } = readBastionConfig(tree);
    const names = resourceNames(options.name);
    const resourceConfig = config.resources[names.fileName] ?? config.resources[options.name] ?? {};
    let fields = normalizeFields(options.fields ?? resourceConfig.fields);
    if (!fields.length) {
      context.logger.info(`no field list given (--fields or bastion.json resources.${names.fileName}.fields): using "${DEFAULT_FIELDS}"`);
      fields = normalizeFields(DEFAULT_FIELDS);
    }
    const owned = dropServerOwned(fields);
    if (owned.dropped.length) context.logger.warn(`skipped server-owned field(s) ${owned.dropped.join(', ')}: clients must not set them`);
    fields = owned.fields;
    for (const action of new Set(Object.values(config.actions))) {
      if (!/^[A-Za-z_$][\w$]*$/.test(action)) throw new SchematicsException(`bastion.json actions: "${action}" is not a valid identifier`);
    }
    const ownership = options.ownership ?? resourceConfig.ownership ?? false;
    const idType = options.idType ?? config.idType;
    const dir = normalize(posix.join(info.sourceRoot, options.path ?? '', names.dir, options.flat ? '' : names.fileName));
    for (const dep of ['class-validator', 'class-transformer', '@bastion/nest']) {
      if (!hasDep(info.pkg, dep)) context.logger.warn(`${dep} is not in package.json: run "nest g -c @bastion/schematics init" first`);
    }
    const files = resourceFiles({ names, fields, config, info, ownership, idType, dir, options });
    for (const [path, content] of files) writeNew(tree, context, path, content);

    if (options.skipImport) context.logger.info('skipped module registration: --skip-import');
    else registerInParentModule(tree, context, `${dir}/${names.fileName}.module.ts`, `${names.className}Module`, info.esm);
    return tree;
  };
}

interface Inputs {
  names: ResourceNames;
  fields: FieldSpec[];
  config: BastionProjectConfig;
  info: ProjectInfo;
  ownership: boolean;
  idType: 'uuid' | 'int';
  dir: string;
  options: SecureResourceOptions;
}

/** Every generated file, path → content, in a stable order. */
export function resourceFiles(i: Inputs): Map<string, string> {
  const { names, config, info, dir } = i;
  const js = info.esm ? '.js' : '';
  const usedActions = [...new Set(['GET', 'POST', 'PATCH', 'DELETE'].map((m) => config.actions[m as keyof typeof config.actions]))];
  const scopes = usedActions.map((a) => [a, scopeName(config, names.fileName, a)] as const);
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
  const dtoOptions = { swagger: info.swagger, maxStringLength: config.maxStringLength };
  const create = dtoCode(`Create${names.singularClass}Dto`, i.fields, dtoOptions);
  const update = dtoCode(`Update${names.singularClass}Dto`, i.fields, { ...dtoOptions, allOptional: true }, new Set(create.nested));
  const createFile = `${dir}/dto/create-${names.singularFile}.dto.ts`;
  const updateImports = packageImports(update);
  if (update.importedNested.size) updateImports.push(`import { ${[...update.importedNested].sort().join(', ')} } from './create-${names.singularFile}.dto${js}';`);

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
  files.set(`${dir}/${names.fileName}.service.ts`, render('secure-resource/service.ts', { ...base, defaultLimit: Math.min(config.pagination.defaultLimit, config.pagination.maxLimit) }));
  files.set(`${dir}/entities/${names.singularFile}.entity.ts`, entity(i, create.nested, js));
  files.set(createFile, render('secure-resource/create-dto.ts', { imports: packageImports(create).join('\n'), classes: create.classes }));
  files.set(`${dir}/dto/update-${names.singularFile}.dto.ts`, render('secure-resource/update-dto.ts', { imports: updateImports.join('\n'), classes: update.classes }));
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
  const tsType = (f: FieldSpec): string => {
    const t = f.type === 'object' ? nestedClassName(`Create${i.names.singularClass}`, f)
      : f.type === 'int' || f.type === 'number' ? 'number' : f.type === 'boolean' ? 'boolean'
      : f.enum?.length ? f.enum.map((e) => JSON.stringify(e)).join(' | ') : 'string';
    return f.array ? (t.includes('|') ? `(${t})[]` : `${t}[]`) : t;
  };
  const fields = i.fields.map((f) => `  ${f.name}${f.optional ? '?' : '!'}: ${tsType(f)};\n`).join('');
  const used = nested.filter((n) => fields.includes(n));
  const imports = used.length ? `import type { ${used.sort().join(', ')} } from '../dto/create-${i.names.singularFile}.dto${js}';\n\n` : '';
  return imports + render('secure-resource/entity.ts', { ...i.names, idTs: i.idType === 'uuid' ? 'string' : 'number', ownership: i.ownership, entityFields: fields });
}
