import { strings } from '@angular-devkit/core';
import type { Rule, SchematicContext, Tree } from '@angular-devkit/schematics';
import { withEngine } from '../utils/engine';
import { prepareGeneration, scopePairs, writeGeneration, type GeneratingSchematic } from '../utils/generation';
import { render } from '../utils/render';
import type { SecureResolverOptions } from './schema';

const SCHEMATIC: GeneratingSchematic = {
  name: 'secure-resolver',
  alias: 'sresolver',
  example: 'orders',
  defaultFields: 'name:string:1-100',
  actions: ['GET', 'POST', 'DELETE'],
  packages: ['@nestjs/graphql', 'class-validator', 'class-transformer', '@bastion/nest'],
};

/**
 * A code-first GraphQL resolver whose every query and mutation requires its scope: an object type, a
 * validated input type (the engine's DTO rules, as `@InputType()`), an in-memory service with a bounded
 * list, the scopes constant and a module registered in its parent.
 */
export function main(options: SecureResolverOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    const g = prepareGeneration(tree, context, SCHEMATIC, options);
    const { names, config, dir } = g;
    const idType = options.idType ?? config.idType;
    const js = g.info.esm ? '.js' : '';
    const scopes = scopePairs(g);
    const base = {
      ...names,
      singularProperty: strings.camelize(names.singularFile),
      js,
      idType,
      idTs: idType === 'uuid' ? 'string' : 'number',
      idPipe: idType === 'uuid' ? 'ParseUUIDPipe' : 'ParseIntPipe',
      idScalar: idType === 'uuid' ? 'ID' : 'Int',
      scopeFormat: config.scopeFormat,
    };
    const files = withEngine((e) => {
      const input = e.renderDto(`Create${names.singularClass}Input`, g.fields, { ...config, graphql: true, doc: '/** Input of a create mutation; the server sets id and timestamps. */' });
      const modelImports = new Set(['Field', 'ObjectType', base.idScalar]);
      const modelFields = g.fields.map((f) => `  ${e.graphqlField(f, f.optional === true, (n) => (modelImports.add(n), n))}\n  ${f.name}${f.optional ? '?' : '!'}: ${e.fieldType(f)};\n\n`).join('');
      return new Map([
        [`${dir}/${names.fileName}.scopes.ts`, render('secure-resource/scopes.ts', { ...base, scopes, requiredBy: 'resolver requires them per query and mutation' })],
        [`${dir}/${names.fileName}.module.ts`, render('secure-resolver/module.ts', base)],
        [`${dir}/${names.fileName}.resolver.ts`, render('secure-resolver/resolver.ts', { ...base, actions: config.actions, scopeList: scopes.map(([, s]) => `\`${s}\``).join(', ') })],
        [`${dir}/${names.fileName}.service.ts`, render('secure-resolver/service.ts', { ...base, maxLimit: config.pagination.maxLimit })],
        [`${dir}/models/${names.singularFile}.model.ts`, render('secure-resolver/model.ts', { ...base, modelImports: [...modelImports].sort().join(', '), modelFields })],
        [`${dir}/dto/create-${names.singularFile}.input.ts`, e.renderDtoFile(input)],
      ]);
    });
    writeGeneration(tree, context, g, files, options.skipImport);
    return tree;
  };
}
