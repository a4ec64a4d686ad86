import { readAppConfig, type AppConfig } from '../analysis/app-config.js';
import { findControllers, type RouteInfo } from '../analysis/controllers.js';
import { idUsage } from '../analysis/id-usage.js';
import { scanInlineChecks } from '../analysis/inline-checks.js';
import { classifyInput, handlerParams } from '../analysis/inputs.js';
import { routeAuth, routeServed, routeThrottling } from '../analysis/protection.js';
import { servedPaths, servedText } from '../analysis/served.js';
import { openWorkspace, relativePath, type Workspace, type WorkspaceOptions } from '../project/workspace.js';
import type { AuditReport, Finding, Protection, RouteRow } from '../report/types.js';
import { changedLines, filterChanged, type RouteSpans } from './changed.js';
import { configFindings } from './config-rules.js';
import { dtoFindings } from './dto-rules.js';
import { postureScore } from './score.js';

/** Options of `audit()`. */
export interface AuditOptions extends WorkspaceOptions {
  /** Report only routes and findings changed since this git ref (`main`, `origin/main...HEAD`). */
  changed?: string;
}

/**
 * Full paths of a route as Nest serves them: global prefix (unless excluded), URI version (none for
 * `VERSION_NEUTRAL`), `RouterModule` path (with `ws`), controller and method path; header/media-type versions
 * and hosts as a suffix.
 */
export function routePaths(route: RouteInfo, app: AppConfig, ws?: Workspace): string[] {
  return (ws ? routeServed(ws, route, app) : servedPaths(route, app)).map((s) => servedText(s, app));
}

export function handlerName(route: RouteInfo): string {
  return `${route.controller.name}.${route.method.getName()}`;
}

/** What the app's own mechanisms that do not authenticate are, for messages. */
function notAuthenticating(p: Protection): string {
  const others = p.app.mechanisms.filter((m) => m.verdict === 'authorizes-only' || m.verdict === 'other');
  if (others.length === 0) return '';
  return `; ${others.map((m) => `${m.name} ${m.verdict === 'authorizes-only' ? 'authorizes only (it assumes an authenticated caller)' : 'does not authenticate'}`).join('; ')}`;
}

function accessFindings(p: Protection, at: string, add: (f: Omit<Finding, 'file' | 'line' | 'handler'> & { line?: number }) => void, bastion: boolean): void {
  const undecided = p.decision === undefined || p.decision === 'baseline';
  if (p.kind === 'none') {
    add({ rule: 'unprotected-route', severity: 'error', message: `${at} has no authenticating guard, middleware or access decision: anyone can call it${notAuthenticating(p)}` });
  } else if (p.kind === 'unknown' && undecided) {
    add({ rule: 'unknown-protection', severity: 'warning', message: `${at}: what protects it is unknown, so it is not counted as protected (${p.source})` });
  }
  if (bastion && p.decision === undefined) {
    add({ rule: 'missing-access-decision', severity: 'warning', message: `${at} states no access decision: BastionModule denies it (strict mode stops the app at boot)` });
  }
}

/** Builds the route table and findings for a loaded workspace. */
export function auditWorkspace(ws: Workspace, options: Pick<AuditOptions, 'changed'> = {}): AuditReport {
  const app = readAppConfig(ws);
  const spans: RouteSpans = new Map();
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
      const throttling = routeThrottling(route, app);
      const ctrlFile = relativePath(ws, ctrl.file.getFilePath());
      spans.set(`${file}:${line}`, [
        { file, from: line, to: route.method.getEndLineNumber() },
        { file: ctrlFile, from: ctrl.cls.getStartLineNumber(), to: ctrl.cls.getNameNode()?.getStartLineNumber() ?? ctrl.cls.getStartLineNumber() },
      ]);
      for (const s of auth.served) {
        const version = s.version !== undefined && app.versioning?.type !== 'uri' ? s.version : undefined;
        routes.push({
          method: route.httpMethod, path: s.path, handler, file, line, protection: auth.protection,
          inputs: inputs.map((i) => i.info), throttling, inheritedFrom: route.inheritedFrom,
          ...(version !== undefined ? { version } : {}), ...(s.host ? { host: s.host } : {}),
        });
      }
      const at = `${route.httpMethod} ${auth.served[0] ? servedText(auth.served[0], app) : ''} (${handler})`;
      const add = (f: Omit<Finding, 'file' | 'line' | 'handler'> & { line?: number }) => findings.push({ file, line, handler, ...f });
      accessFindings(auth.protection, at, add, app.bastion);
      const status = auth.protection.app.status;
      for (const m of auth.baselineMarkers) {
        const message = status === 'authenticated'
          ? `${at} is authenticated by the app (${auth.protection.source}) but Bastion treats it as public through the baseline marker; \`bastion retrofit\` replaces the marker with its decision`
          : status === 'open' && !auth.protection.entryPoint ? `${at} is public only through the baseline marker @Public({ baseline: true }); give it a real access decision` : undefined;
        if (message) add({ rule: 'baseline-public-route', severity: 'warning', line: m.decorator.getStartLineNumber(), message });
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
  findings.push(...configFindings(ws, app), ...dtoFindings(ws));
  const guards = app.guards.map((g) => `${g.name} (${g.via})`);
  const versioning = app.versioning ? `${app.versioning.type}${app.versioning.type === 'uri' ? ` (prefix "${app.versioning.prefix}")` : ''}` : undefined;
  const report: AuditReport = {
    cwd: ws.cwd, project: relativePath(ws, ws.tsconfigPath), routes, findings,
    globalPrefix: app.globalPrefix, versioning, globalGuards: guards, filesScanned: ws.allFiles.length, skippedFiles: ws.skippedFiles,
  };
  report.score = postureScore(report);
  return options.changed ? filterChanged(report, changedLines(options.changed, ws.cwd), options.changed, spans) : report;
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
 * Audits a NestJS project: route table with protection, inputs and throttling, findings by rule, posture score.
 *
 * @example
 * ```ts
 * const report = await audit({ project: 'tsconfig.json' });
 * console.log(formatAudit(report, 'table'));
 * ```
 */
export async function audit(options: AuditOptions): Promise<AuditReport> {
  return auditWorkspace(openWorkspace(options), options);
}
