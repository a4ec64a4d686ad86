import { Node, type MethodDeclaration } from 'ts-morph';
import { NEST_COMMON } from '../analysis/file-imports.js';
import { idUsage } from '../analysis/id-usage.js';
import { handlerParams } from '../analysis/inputs.js';
import { handlerName } from '../audit/audit.js';
import type { TransformContext } from './context.js';

/**
 * `params`: `@Param('id') id: string` converted with `+id`/`Number(id)`/`parseInt(id)` gets `ParseIntPipe`
 * and a `number` type (the conversions go); UUID-named or UUID-checked params get `ParseUUIDPipe`.
 */
export function paramsTransform(ctx: TransformContext): void {
  const seen = new Set<MethodDeclaration>();
  for (const ctrl of ctx.controllers) {
    for (const route of ctrl.routes) {
      const method = route.method;
      if (seen.has(method)) continue;
      seen.add(method);
      for (const p of handlerParams(method)) {
        if (p.kind !== 'param' || p.key === undefined || p.pipes.length > 0 || !p.decorator) continue;
        const nameNode = p.param.getNameNode();
        if (!Node.isIdentifier(nameNode)) continue;
        const name = nameNode.getText();
        const typeNode = p.param.getTypeNode();
        const type = typeNode?.getText();
        if (type !== undefined && type !== 'string' && type !== 'number') continue;
        const u = idUsage(method, name, p.key);
        let pipe: 'ParseIntPipe' | 'ParseUUIDPipe' | undefined;
        if (u.uuid && type !== 'number') pipe = 'ParseUUIDPipe';
        else if (type === 'number') pipe = 'ParseIntPipe';
        else if (u.conversions.length > 0) {
          if (u.otherUses > 0) {
            ctx.skip(p.param, `${handlerName(route)}: @Param('${p.key}') ${name} is converted to a number and also used as a string; not changed`);
            continue;
          }
          pipe = 'ParseIntPipe';
        }
        if (!pipe) continue;
        const file = method.getSourceFile();
        if (!ctx.editable(file)) {
          ctx.skip(p.param, `${handlerName(route)}: in a file excluded from editing`);
          continue;
        }
        const fe = ctx.edit(file);
        const keyArg = p.decorator.args[0]!;
        fe.edits.insert(keyArg.getEnd(), `, ${fe.imports.ref(NEST_COMMON, pipe)}`);
        if (pipe === 'ParseIntPipe' && type !== 'number') {
          if (typeNode) fe.edits.replace(typeNode.getStart(), typeNode.getEnd(), 'number');
          else fe.edits.insert(nameNode.getEnd(), ': number');
          for (const c of u.conversions) fe.edits.replace(c.start, c.end, name);
        }
        ctx.change(p.param, `${handlerName(route)}: @Param('${p.key}', ${pipe}) ${name}${pipe === 'ParseIntPipe' ? ': number' : ''}`);
      }
    }
  }
}
