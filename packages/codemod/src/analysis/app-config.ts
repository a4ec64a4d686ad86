import { Node, SyntaxKind } from 'ts-morph';
import type { Workspace } from '../project/workspace.js';
import { relativePath } from '../project/workspace.js';
import { versionsOf } from './controllers.js';
import { BASTION_NEST, importsOf, NEST_CORE } from './file-imports.js';
import { constantString, objectProperty, stringValue, unwrap } from './literals.js';
import { requestMethodOf } from './request-method.js';

export interface GlobalGuard {
  name: string;
  file: string;
  line: number;
  /** `APP_GUARD` provider or `app.useGlobalGuards`. */
  via: 'APP_GUARD' | 'useGlobalGuards' | 'BastionModule';
  /** A throttling guard limits rates; it does not authenticate. */
  throttle: boolean;
  /** The guard expression (`useClass` value, `useGlobalGuards` argument), for classification. */
  node?: Node;
}

/** A `setGlobalPrefix(…, { exclude })` entry: the route is served without the prefix. */
export interface PrefixExclusion {
  path: string;
  /** `GET`, …, or `ALL`. */
  method: string;
}

/** App-wide settings found in `main.ts` / modules. */
export interface AppConfig {
  globalPrefix?: string;
  /** Routes `setGlobalPrefix`'s `exclude` serves without the prefix. */
  prefixExclude: PrefixExclusion[];
  /** `defaultVersion` may hold `NEUTRAL` (`VERSION_NEUTRAL`) and several versions. */
  versioning?: { type: 'uri' | 'header' | 'media-type' | 'custom'; prefix: string; defaultVersion?: string[] };
  guards: GlobalGuard[];
  /** `BastionModule` is imported by some module: deny by default, throttling on. */
  bastion: boolean;
}

const MARKERS = ['setGlobalPrefix', 'enableVersioning', 'useGlobalGuards', 'APP_GUARD', 'BastionModule'];

export function readAppConfig(ws: Workspace): AppConfig {
  const config: AppConfig = { guards: [], bastion: false, prefixExclude: [] };
  for (const file of ws.allFiles) {
    const text = file.getFullText();
    if (!MARKERS.some((m) => text.includes(m))) continue;
    const imports = importsOf(file);
    const rel = relativePath(ws, file.getFilePath());
    file.forEachDescendant((node) => {
      if (Node.isCallExpression(node)) {
        const callee = node.getExpression();
        if (!Node.isPropertyAccessExpression(callee)) return;
        const name = callee.getName();
        const args = node.getArguments();
        if (name === 'setGlobalPrefix') {
          config.globalPrefix = constantString(ws.project, args[0]) ?? config.globalPrefix;
          config.prefixExclude = exclusions(ws, objectProperty(args[1], 'exclude'));
        } else if (name === 'enableVersioning') {
          const opts = args[0];
          const typeText = objectProperty(opts, 'type')?.getText() ?? 'URI';
          const type = /HEADER/.test(typeText) ? 'header' : /MEDIA/.test(typeText) ? 'media-type' : /CUSTOM/.test(typeText) ? 'custom' : 'uri';
          const prefixNode = objectProperty(opts, 'prefix');
          const prefix = prefixNode && prefixNode.getKind() === SyntaxKind.FalseKeyword ? '' : (stringValue(prefixNode) ?? 'v');
          config.versioning = { type, prefix, defaultVersion: versionsOf(ws, objectProperty(opts, 'defaultVersion')) };
        } else if (name === 'useGlobalGuards') {
          for (const a of args) {
            const guard = Node.isNewExpression(a) ? a.getExpression().getText() : a.getText();
            config.guards.push({ name: guard, file: rel, line: a.getStartLineNumber(), via: 'useGlobalGuards', throttle: /Throttler/.test(guard), node: a });
          }
        } else if (Node.isIdentifier(callee.getExpression()) && imports.is(callee.getExpression(), BASTION_NEST, 'BastionModule')) {
          config.bastion = true;
          config.guards.push({ name: 'BastionModule', file: rel, line: node.getStartLineNumber(), via: 'BastionModule', throttle: false });
        }
      } else if (Node.isObjectLiteralExpression(node)) {
        const provide = objectProperty(node, 'provide');
        if (!provide || !imports.is(provide, NEST_CORE, 'APP_GUARD')) return;
        const impl = objectProperty(node, 'useClass') ?? objectProperty(node, 'useExisting') ?? objectProperty(node, 'useFactory') ?? objectProperty(node, 'useValue');
        const guard = impl ? impl.getText().replace(/\s+/g, ' ').slice(0, 60) : '(unknown)';
        const bastionGuard = impl !== undefined && importsOf(file).resolve(impl)?.module === BASTION_NEST;
        if (bastionGuard) config.bastion = true;
        const classRef = impl && (objectProperty(node, 'useClass') ?? objectProperty(node, 'useExisting') ?? factoryResult(impl));
        config.guards.push({
          name: guard, file: rel, line: node.getStartLineNumber(), via: bastionGuard ? 'BastionModule' : 'APP_GUARD',
          throttle: /Throttler/.test(guard), node: classRef,
        });
      }
    });
  }
  return config;
}

/** `useFactory: () => new X()` / `useValue: new X()`: the guard class; undefined for anything else. */
function factoryResult(impl: Node): Node | undefined {
  const inner = unwrap(impl);
  if (!inner) return undefined;
  if (Node.isNewExpression(inner)) return inner;
  if (Node.isArrowFunction(inner)) {
    const body = unwrap(inner.getBody());
    if (body && Node.isNewExpression(body)) return body;
  }
  return undefined;
}

function exclusions(ws: Workspace, node: Node | undefined): PrefixExclusion[] {
  const inner = unwrap(node);
  if (!inner || !Node.isArrayLiteralExpression(inner)) return [];
  return inner.getElements().flatMap((el) => {
    const path = constantString(ws.project, el);
    if (path !== undefined) return [{ path, method: 'ALL' }];
    const p = constantString(ws.project, objectProperty(el, 'path'));
    return p === undefined ? [] : [{ path: p, method: requestMethodOf(objectProperty(el, 'method')) ?? 'ALL' }];
  });
}
