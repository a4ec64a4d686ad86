import type { MethodDeclaration } from 'ts-morph';
import { BASTION_NEST, importsOf } from '../analysis/file-imports.js';
import { resolveDecorators } from '../analysis/decorators.js';
import { scanInlineChecks } from '../analysis/inline-checks.js';
import { handlerName, routePaths } from '../audit/audit.js';
import { wholeLines } from '../edit/text-edits.js';
import type { TransformContext } from './context.js';
import { insertMethodDecorator } from './decorator-insert.js';

/**
 * `policies`: a leading `if (<role/scope check on the principal>) throw new ForbiddenException()` becomes
 * `@Roles(…)`/`@RequireScopes(…)` and the check goes. Compound checks are reported; checks on input values
 * are validation, not authorization, and stay.
 */
export function policiesTransform(ctx: TransformContext): void {
  const seen = new Set<MethodDeclaration>();
  for (const ctrl of ctx.controllers) {
    for (const route of ctrl.routes) {
      if (seen.has(route.method)) continue;
      seen.add(route.method);
      const scan = scanInlineChecks(route.method);
      for (const r of scan.reported) ctx.skip(r.statement, `${handlerName(route)}: ${r.reason}`);
      if (scan.gating.length === 0) continue;
      const file = route.method.getSourceFile();
      if (!ctx.editable(file)) {
        ctx.skip(route.method, `${handlerName(route)} is in a file excluded from editing`);
        continue;
      }
      if (route.inheritedFrom) {
        ctx.skip(route.method, `${handlerName(route)} is declared in base class ${route.inheritedFrom}; its inline check applies to every subclass and is left as is`);
        continue;
      }
      const existing = resolveDecorators(route.method.getDecorators(), importsOf(file))
        .filter((d) => d.binding?.module === BASTION_NEST && (d.binding.name === 'Roles' || d.binding.name === 'RequireScopes'))
        .map((d) => d.binding?.name);
      const roles = scan.gating.filter((g) => g.kind === 'roles').flatMap((g) => g.values);
      const scopes = scan.gating.filter((g) => g.kind === 'scopes').flatMap((g) => g.values);
      if ((roles.length && existing.includes('Roles')) || (scopes.length && existing.includes('RequireScopes'))) {
        ctx.skip(route.method, `${handlerName(route)} already has @Roles/@RequireScopes; merge the inline check by hand`);
        continue;
      }
      const fe = ctx.edit(file);
      const text = file.getFullText();
      const added: string[] = [];
      if (roles.length) added.push(`@${fe.imports.ref(BASTION_NEST, 'Roles')}(${roles.map((r) => `'${r}'`).join(', ')})`);
      if (scopes.length) added.push(`@${fe.imports.ref(BASTION_NEST, 'RequireScopes')}(${scopes.map((s) => `'${s}'`).join(', ')})`);
      for (const d of added) insertMethodDecorator(fe, route.method, d);
      for (const g of scan.gating) {
        const range = wholeLines(text, g.statement.getStart(), g.statement.getEnd());
        fe.edits.remove(range.start, range.end);
        for (const id of g.identifiers) fe.cleanup.add(id);
      }
      ctx.change(route.method, `${handlerName(route)}: inline check → ${added.join(' ')}`);
      const before = `inline check (${scan.gating.map((g) => `${g.kind} ${g.values.join(', ')}`).join('; ')})`;
      for (const path of routePaths(route, ctx.app, ctx.ws)) {
        ctx.access({ method: route.httpMethod, path, handler: handlerName(route), before, after: added.join(' ') }, route.method);
      }
    }
  }
}
