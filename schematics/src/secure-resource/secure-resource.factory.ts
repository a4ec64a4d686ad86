import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { logDefaults } from '../dto/dto.factory';
import { engine } from '../utils/engine';
import { prepareGeneration, scopePairs, writeGeneration, type GeneratingSchematic, type Generation } from '../utils/generation';
import { relativeImport } from '../utils/project';
import { render } from '../utils/render';
import { invalidSample, literal, validSample } from '../utils/samples';
import type { SecureResourceOptions } from './schema';

const SCHEMATIC: GeneratingSchematic = {
  name: 'secure-resource',
  alias: 'sres',
  example: 'orders',
  defaultFields: 'name:string:1-100',
  actions: ['GET', 'POST', 'PATCH', 'DELETE'],
  packages: ['class-validator', 'class-transformer', '@bastion/nest'],
};

export function main(options: SecureResourceOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    if (options.type && options.type !== 'rest') throw new SchematicsException(`secure-resource generates REST resources only (got --type ${options.type}); GraphQL: secure-resolver, WebSockets: secure-ws-gateway`);
    const g = prepareGeneration(tree, context, SCHEMATIC, options);
    const ownership = options.ownership ?? g.resource.ownership ?? false;
    const idType = options.idType ?? g.config.idType;
    writeGeneration(tree, context, g, resourceFiles({ ...g, ownership, idType, options, context }), options.skipImport);
    return tree;
  };
}

interface Inputs extends Generation {
  ownership: boolean;
  idType: 'uuid' | 'int';
  options: SecureResourceOptions;
  context: SchematicContext;
}

/** Every generated file, path → content, in a stable order. */
export function resourceFiles(i: Inputs): Map<string, string> {
  const { names, config, info, dir } = i;
  const js = info.esm ? '.js' : '';
  const e = engine();
  const scopes = scopePairs(i);
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

  files.set(`${dir}/${names.fileName}.scopes.ts`, render('secure-resource/scopes.ts', { ...base, scopes, requiredBy: 'controller requires them per route' }));
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
