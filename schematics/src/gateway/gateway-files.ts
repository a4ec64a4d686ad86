import { strings } from '@angular-devkit/core';
import type { SchematicContext, Tree } from '@angular-devkit/schematics';
import type { GatewayConfig } from '@bastion/codemod';
import { overwrite, readJson, writeNew } from '../utils/project';
import { moduleCode, routesCode } from './gateway-code';

/**
 * Writes `<dir>/<base>.routes.ts` (rewritten when bastion.json changed) and `<dir>/<base>.module.ts` (once),
 * adds `undici` to package.json; returns the module's path.
 */
export function writeGatewayModule(tree: Tree, context: SchematicContext, dir: string, base: string, upstreams: GatewayConfig['upstreams'], esm: boolean): string {
  const modulePath = `${dir}/${base}.module.ts`;
  const routesPath = `${dir}/${base}.routes.ts`;
  if (tree.exists(routesPath)) overwrite(tree, routesPath, routesCode(upstreams));
  else tree.create(routesPath, routesCode(upstreams));
  writeNew(tree, context, modulePath, moduleCode(`${strings.classify(base)}Module`, `./${base}.routes${esm ? '.js' : ''}`));
  addUndici(tree);
  return modulePath;
}

function addUndici(tree: Tree): void {
  const pkg = readJson<{ dependencies?: Record<string, string> }>(tree, 'package.json');
  if (!pkg || pkg.dependencies?.undici) return;
  pkg.dependencies = { ...pkg.dependencies, undici: '^7.0.0' };
  overwrite(tree, 'package.json', `${JSON.stringify(pkg, null, 2)}\n`);
}
