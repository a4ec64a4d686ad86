import { readAppConfig } from '../analysis/app-config.js';
import { findControllers, type RouteInfo } from '../analysis/controllers.js';
import { idUsage } from '../analysis/id-usage.js';
import { scanInlineChecks } from '../analysis/inline-checks.js';
import { classifyInput, handlerParams } from '../analysis/inputs.js';
import { joinPath } from '../analysis/literals.js';
import { routeAuth, routeThrottling } from '../analysis/protection.js';
import type { AppConfig } from '../analysis/app-config.js';
import { openWorkspace, relativePath, type Workspace, type WorkspaceOptions } from '../project/workspace.js';
import type { AuditReport, Finding, RouteRow } from '../report/types.js';

/** Options of `audit()`. */
export type AuditOptions = WorkspaceOptions;

/** Full paths of a route: global prefix, URI version, controller path, method path. */
export function routePaths(route: RouteInfo, app: AppConfig): string[] {
  const versions = route.versions ?? (app.versioning?.defaultVersion ? [app.versioning.defaultVersion] : undefined);
  const out: string[] = [];
  for (const cp of route.controller.paths) {
    for (const mp of route.paths) {
      if (app.versioning?.type === 'uri' && versions?.length) {
        for (const v of versions) out.push(joinPath(app.globalPrefix, `${app.versioning.prefix}${v}`, cp, mp));
      } else {
        const suffix = versions?.length && app.versioning ? ` (version ${versions.join('|')})` : '';
        out.push(joinPath(app.globalPrefix, cp, mp) + suffix);
      }
    }
  }
  return out;
}

export function handlerName(route: RouteInfo): string {
  return `${route.controller.name}.${route.method.getName()}`;
}

/** Builds the route table and findings for a loaded workspace. */
export function auditWorkspace(ws: Workspace): AuditReport {
  const app = readAppConfig(ws);
  const routes: RouteRow[] = [];
  const findings: Finding[] = [];
  const seenChecks = new Set<unknown>();
  for (const ctrl of findControllers(ws)) {
    for (const route of ctrl.routes) {
      const file = relativePath(ws, route.declaringClass.getSourceFile().getFilePath());
      const line = route.method.getStartLineNumber();
      const handler = handlerName(route);
      const auth = routeAuth(ws, route, app);
      const inputs = handlerParams(route.method)
        .filter((p) => p.kind === 'body' || p.kind === 'query' || p.kind === 'param')
        .map((p) => ({ p, info: classifyInput(ws, p) }));
      const paths = routePaths(route, app);
      for (const path of paths) {
        routes.push({
          method: route.httpMethod, path, handler, file, line, protection: auth.protection,
          inputs: inputs.map((i) => i.info), throttling: routeThrottling(route, app), inheritedFrom: route.inheritedFrom,
        });
      }
      const at = `${route.httpMethod} ${paths[0] ?? ''}`;
      const add = (f: Omit<Finding, 'file' | 'line' | 'handler'> & { line?: number }) => findings.push({ file, line, handler, ...f });
      if (auth.protection.kind === 'none') {
        add({ rule: 'unprotected-route', severity: 'error', message: `${at} (${handler}) has no guard and no access decision: anyone can call it` });
      } else if (auth.protection.kind === 'bastion-default') {
        add({ rule: 'missing-access-decision', severity: 'warning', message: `${at} (${handler}) states no access decision: BastionModule denies it (strict mode stops the app at boot)` });
      }
      for (const m of auth.baselineMarkers) {
        add({ rule: 'baseline-public-route', severity: 'warning', line: m.decorator.getStartLineNumber(), message: `${at} (${handler}) is public only through the baseline marker @Public({ baseline: true }); give it a real access decision` });
      }
      for (const { p, info } of inputs) {
        const pline = p.param.getStartLineNumber();
        if ((p.kind === 'body' || p.kind === 'query') && !info.validated) {
          if (info.status === 'type-only-import') {
            add({ rule: 'type-only-dto-import', severity: 'error', line: pline, message: `${info.type} is imported with \`import type\`: its metadata is erased and ValidationPipe validates nothing` });
          } else {
            add({
              rule: p.kind === 'body' ? 'unvalidated-body' : 'unvalidated-query', severity: 'error', line: pline,
              message: `@${p.kind === 'body' ? 'Body' : 'Query'}(${p.key ? `'${p.key}'` : ''}) ${info.name} is ${describe(info.status, info.type)}: not validated at runtime`,
            });
          }
        }
        if (p.kind === 'param' && p.pipes.length === 0) {
          const u = idUsage(route.method, p.param.getName(), p.key);
          if (u.conversions.length > 0 || u.uuid) {
            add({ rule: 'unparsed-id', severity: 'warning', line: pline, message: `@Param('${p.key ?? p.param.getName()}') is ${u.uuid ? 'a UUID' : 'converted to a number in the handler'} but has no ${u.uuid ? 'ParseUUIDPipe' : 'ParseIntPipe'}` });
          }
        }
      }
      if (!seenChecks.has(route.method)) {
        seenChecks.add(route.method);
        const scan = scanInlineChecks(route.method);
        for (const g of scan.gating) add({ rule: 'inline-authz', severity: 'warning', line: g.statement.getStartLineNumber(), message: `inline ${g.kind} check (${g.values.join(', ')}) in ${handler}: use @${g.kind === 'roles' ? 'Roles' : 'RequireScopes'}(…)` });
        for (const r of scan.reported) add({ rule: 'inline-authz', severity: 'warning', line: r.statement.getStartLineNumber(), message: `${r.reason} in ${handler}` });
      }
    }
  }
  const guards = app.guards.map((g) => `${g.name} (${g.via})`);
  return {
    cwd: ws.cwd, project: relativePath(ws, ws.tsconfigPath), routes, findings,
    globalPrefix: app.globalPrefix,
    versioning: app.versioning ? `${app.versioning.type}${app.versioning.type === 'uri' ? ` (prefix "${app.versioning.prefix}")` : ''}` : undefined,
    globalGuards: guards, filesScanned: ws.allFiles.length, skippedFiles: ws.skippedFiles,
  };
}

function describe(status: string, type?: string): string {
  switch (status) {
    case 'untyped': return 'untyped';
    case 'any': return `typed \`${type}\``;
    case 'interface': return `typed by interface ${type}`;
    case 'type-alias': return `typed by type alias ${type}`;
    case 'inline': return 'typed by an inline type literal';
    case 'keyed': return `a keyed primitive (${type})`;
    default: return `typed \`${type ?? '?'}\``;
  }
}

/**
 * Audits a NestJS project: route table with protection, inputs and throttling, and findings by rule.
 *
 * @example
 * const report = await audit({ project: 'tsconfig.json' });
 * console.log(formatAudit(report, 'table'));
 */
export async function audit(options: AuditOptions): Promise<AuditReport> {
  return auditWorkspace(openWorkspace(options));
}
