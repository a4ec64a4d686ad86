import { SchematicsException, type Rule, type SchematicContext, type Tree } from '@angular-devkit/schematics';
import { strings } from '@angular-devkit/core';
import { posix } from 'node:path';
import type { GatewayConfig } from '@bastion/codemod';
import { withEngine } from '../utils/engine';
import { registerInParentModule } from '../utils/parent-module';
import { normalize, projectInfo, readJson } from '../utils/project';
import { gatewayApp } from './gateway-app';
import { writeGatewayModule } from './gateway-files';
import type { GatewayOptions } from './schema';

/**
 * A gateway module whose routes are the `gateway.upstreams` of bastion.json: `<name>.routes.ts` is
 * owned by the generator and rewritten on every run (same bastion.json, same file), `<name>.module.ts`
 * is written once and then yours. Adds `undici` (the gateway's HTTP client) to package.json. With `--app`
 * (or `"gateway": { "app": true }`) the module lives in a new application `<name>` of a Nest monorepo.
 */
export function main(options: GatewayOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    if (!options.name) throw new SchematicsException('gateway needs a name: nest g -c @bastion/schematics gateway edge');
    const gateway: GatewayConfig = withEngine((e) => {
      const raw = readJson<unknown>(tree, e.CONFIG_FILE);
      if (raw === undefined) throw new SchematicsException(`${e.CONFIG_FILE} not found: declare "gateway.upstreams" there (see docs/gateway.md)`);
      return e.parseGatewayConfig(raw, e.CONFIG_FILE);
    });
    if (Object.keys(gateway.upstreams).length === 0) throw new SchematicsException('bastion.json declares no "gateway.upstreams"');
    if (options.app ?? gateway.app) return gatewayApp(options.name, gateway.upstreams);
    const info = projectInfo(tree, options.sourceRoot);
    const base = strings.dasherize(options.name.replace(/\\/g, '/').split('/').pop()!);
    const dir = normalize(posix.join(info.sourceRoot, options.path ?? '', options.flat ? '' : base));
    const modulePath = writeGatewayModule(tree, context, dir, base, gateway.upstreams, info.esm);
    if (!options.skipImport) registerInParentModule(tree, context, modulePath, `${strings.classify(base)}Module`, info.esm);
    return tree;
  };
}
