import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { strings } from '@angular-devkit/core';
import { posix } from 'node:path';
import { readBastionConfig } from '../utils/bastion-config';
import { dtoCode, packageImports } from '../utils/dto-code';
import { fieldsFromJsonSchema, normalizeFields, type FieldSpec } from '../utils/fields';
import { normalize, projectInfo, readJson, writeNew } from '../utils/project';
import { render } from '../utils/render';
import type { DtoOptions } from './schema';

export function main(options: DtoOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    if (!options.name) throw new SchematicsException('dto needs a name: nest g -c @bastion/schematics dto create-payment');
    if (!options.fields === !options.schema) throw new SchematicsException('dto needs exactly one of --fields or --schema');
    const info = projectInfo(tree, options.sourceRoot);
    const { config } = readBastionConfig(tree);
    let fields: FieldSpec[];
    if (options.schema) {
      const schema = readJson<Record<string, unknown>>(tree, normalize(options.schema));
      if (!schema) throw new SchematicsException(`JSON Schema file ${options.schema} not found`);
      fields = fieldsFromJsonSchema(schema);
    } else fields = normalizeFields(options.fields);
    const parts = options.name.replace(/\\/g, '/').split('/');
    const base = strings.dasherize(parts.pop()!.replace(/\.?dto$/i, ''));
    const dir = normalize(posix.join(info.sourceRoot, options.path ?? '', ...parts.map((p) => strings.dasherize(p))));
    const code = dtoCode(`${strings.classify(base)}Dto`, fields, { swagger: info.swagger, maxStringLength: config.maxStringLength });
    writeNew(tree, context, `${dir}/${base}.dto.ts`, render('dto/dto.ts', { imports: packageImports(code).join('\n'), classes: code.classes }));
    return tree;
  };
}
