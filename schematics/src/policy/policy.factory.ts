import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { strings } from '@angular-devkit/core';
import { posix } from 'node:path';
import { normalize, projectInfo, requireBastionSupport, writeNew } from '../utils/project';
import { render } from '../utils/render';
import type { PolicyOptions } from './schema';

export function main(options: PolicyOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    if (!options.name) throw new SchematicsException('policy needs a name: nest g -c @bastion/schematics policy account-owner');
    const info = projectInfo(tree, options.sourceRoot);
    requireBastionSupport(info, 'policy');
    const parts = options.name.replace(/\\/g, '/').split('/');
    const base = strings.dasherize(parts.pop()!.replace(/[.-]?policy$/i, ''));
    const dir = normalize(posix.join(info.sourceRoot, options.path ?? '', ...parts.map((p) => strings.dasherize(p)), options.flat ? '' : 'policies'));
    const data = { fileName: base, className: `${strings.classify(base)}Policy`, js: info.esm ? '.js' : '', runner: info.testRunner };
    writeNew(tree, context, `${dir}/${base}.policy.ts`, render('policy/policy.ts', data));
    if (options.spec === false) return tree;
    if (!info.testRunner) {
      context.logger.warn('skipped the policy unit test: neither vitest nor jest is in package.json');
      return tree;
    }
    writeNew(tree, context, `${dir}/${base}.policy.${options.specFileSuffix ?? 'spec'}.ts`, render('policy/policy.spec.ts', data));
    return tree;
  };
}
