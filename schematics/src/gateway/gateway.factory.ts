import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { strings } from '@angular-devkit/core';
import { posix } from 'node:path';
import { withEngine } from '../utils/engine';
import { registerInParentModule } from '../utils/parent-module';
import { normalize, overwrite, projectInfo, readJson, writeNew } from '../utils/project';
import { moduleCode, routesCode, type UpstreamConfig } from './gateway-code';
import type { GatewayOptions } from './schema';

/**
 * A gateway module whose routes are the `gateway.upstreams` of bastion.json: `<name>.routes.ts` is
 * owned by the generator and rewritten on every run (same bastion.json, same file), `<name>.module.ts`
 * is written once and then yours. Adds `undici` (the gateway's HTTP client) to package.json.
 */
export function main(options: GatewayOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    if (!options.name) throw new SchematicsException('gateway needs a name: nest g -c @bastion/schematics gateway edge');
    const upstreams: Record<string, UpstreamConfig> = withEngine((e) => {
      const raw = readJson<unknown>(tree, e.CONFIG_FILE);
      if (raw === undefined) throw new SchematicsException(`${e.CONFIG_FILE} not found: declare "gateway.upstreams" there (see docs/gateway.md)`);
      return e.parseGatewayConfig(raw, e.CONFIG_FILE).upstreams;
    });
    if (Object.keys(upstreams).length === 0) throw new SchematicsException('bastion.json declares no "gateway.upstreams"');
    const info = projectInfo(tree, options.sourceRoot);
    const base = strings.dasherize(options.name.replace(/\\/g, '/').split('/').pop()!);
    const dir = normalize(posix.join(info.sourceRoot, options.path ?? '', options.flat ? '' : base));
    const js = info.esm ? '.js' : '';
    const modulePath = `${dir}/${base}.module.ts`;
    const routesPath = `${dir}/${base}.routes.ts`;
    if (tree.exists(routesPath)) overwrite(tree, routesPath, routesCode(upstreams));
    else tree.create(routesPath, routesCode(upstreams));
    writeNew(tree, context, modulePath, moduleCode(`${strings.classify(base)}Module`, `./${base}.routes${js}`));
    addUndici(tree);
    if (!options.skipImport) registerInParentModule(tree, context, modulePath, `${strings.classify(base)}Module`, info.esm);
    return tree;
  };
}

function addUndici(tree: Tree): void {
  const pkg = readJson<{ dependencies?: Record<string, string> }>(tree, 'package.json');
  if (!pkg || pkg.dependencies?.undici) return;
  pkg.dependencies = { ...pkg.dependencies, undici: '^7.0.0' };
  overwrite(tree, 'package.json', `${JSON.stringify(pkg, null, 2)}\n`);
}
