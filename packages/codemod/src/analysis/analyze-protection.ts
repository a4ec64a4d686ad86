import type { Workspace } from '../project/workspace.js';
import type { Protection } from '../report/types.js';
import { readAppConfig, type AppConfig } from './app-config.js';
import { findControllers, type RouteInfo } from './controllers.js';
import { routeAuth } from './protection.js';
import { servedText, type ServedPath } from './served.js';
import { findStrategies, type StrategyInfo } from './strategies.js';

/** One route with what protects it. */
export interface RouteProtection {
  /** `Class.method`. */
  handler: string;
  method: string;
  /** Paths as Nest serves them (prefix, versions, `RouterModule`, hosts), as table text. */
  paths: string[];
  served: ServedPath[];
  /** Bastion decision, the app's own mechanisms (`app.status`, `app.mechanisms`), entry point with evidence. */
  protection: Protection;
  route: RouteInfo;
}

/** The protection analysis of a whole project. */
export interface ProtectionAnalysis {
  app: AppConfig;
  /** The passport strategies the app registers, with the credential each takes. */
  strategies: StrategyInfo[];
  routes: RouteProtection[];
}

/**
 * Which routes the app authenticates and with what (guards, middleware, strategies and their credentials),
 * which it leaves open, which are authentication entry points, and which cannot be classified. The
 * `init` schematic and `retrofit` decide from this what Bastion must enforce.
 *
 * @example
 * ```ts
 * const { routes } = analyzeProtection(openWorkspace({ project: 'tsconfig.json' }));
 * const bearer = routes.filter((r) => r.protection.app.mechanisms.some((m) => m.verdict === 'authenticates' && m.credential === 'bearer'));
 * ```
 */
export function analyzeProtection(ws: Workspace): ProtectionAnalysis {
  const app = readAppConfig(ws);
  const routes = findControllers(ws).flatMap((ctrl) => ctrl.routes.map((route): RouteProtection => {
    const auth = routeAuth(ws, route, app);
    return {
      handler: `${ctrl.name}.${route.method.getName()}`, method: route.httpMethod, served: auth.served,
      paths: auth.served.map((s) => servedText(s, app)), protection: auth.protection, route,
    };
  }));
  return { app, strategies: findStrategies(ws), routes };
}
