import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { strings } from '@angular-devkit/core';
import type { DtoCode, FieldSpec, JsonSchemaObject } from '@bastion/codemod';
import { posix } from 'node:path';
import { withEngine } from '../utils/engine';
import { normalize, projectInfo, readBastionConfig, readJson, writeNew } from '../utils/project';
import type { DtoOptions } from './schema';

export function main(options: DtoOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    if (!options.name) throw new SchematicsException('dto needs a name: nest g -c @bastion/schematics dto create-payment');
    if (!options.fields === !options.schema) throw new SchematicsException('dto needs exactly one of --fields or --schema');
    const info = projectInfo(tree, options.sourceRoot);
    if (info.compatibility.transformsProblem) throw new SchematicsException(`dto: ${info.compatibility.transformsProblem}`);
    const { config } = readBastionConfig(tree, context);
    const parts = options.name.replace(/\\/g, '/').split('/');
    const base = strings.dasherize(parts.pop()!.replace(/\.?dto$/i, ''));
    const dir = normalize(posix.join(info.sourceRoot, options.path ?? '', ...parts.map((p) => strings.dasherize(p))));
    const file = withEngine((e) => {
      let fields: FieldSpec[];
      let doc: string | undefined;
      if (options.schema) {
        const schema = readJson<JsonSchemaObject>(tree, normalize(options.schema));
        if (!schema) throw new SchematicsException(`JSON Schema file ${options.schema} not found`);
        fields = e.fieldsFromJsonSchema(schema);
        doc = schema.description ? e.jsDoc(schema.description) : undefined;
      } else fields = e.parseFieldList(options.fields!);
      const code = e.renderDto(`${strings.classify(base)}Dto`, fields, { ...config, swagger: info.swagger, doc });
      logDefaults(context, code);
      return e.renderDtoFile(code);
    });
    writeNew(tree, context, `${dir}/${base}.dto.ts`, file);
    return tree;
  };
}

/** Names every bound taken from `bastion.json` rather than from the field list, so none is a surprise. */
export function logDefaults(context: SchematicContext, code: Pick<DtoCode, 'defaulted'>): void {
  if (!code.defaulted.length) return;
  const list = code.defaulted.map((d) => `${d.className}.${d.field} ${d.rule}`).join(', ');
  context.logger.info(`bounds from bastion.json (maxStringLength, maxArraySize) where the fields give none: ${list}`);
}
