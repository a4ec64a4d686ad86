import { posix } from 'node:path';
import { Node, type ImportDeclaration, type MethodDeclaration, type SourceFile, type TypeElementTypes, type TypeLiteralNode } from 'ts-morph';
import type { RouteInfo } from '../analysis/controllers.js';
import { findDeclaration, importsOf, NEST_COMMON, relativeSpecifier } from '../analysis/file-imports.js';
import { classifyInput, handlerParams, type HandlerParam } from '../analysis/inputs.js';
import { handlerName } from '../audit/audit.js';
import { DtoError, dtoNameFor, TypeFields } from '../dto/fields-from-types.js';
import { pascalCase } from '../dto/field-spec.js';
import { renderDto, renderDtoFile } from '../dto/render-dto.js';
import type { TransformContext } from './context.js';
import { resourceOf } from './scopes.js';

/** Generated classes and the imports they need, for one DTO file. */
interface DtoFilePlan {
  path: string;
  classes: Map<string, string>;
  imports: Map<string, Set<string>>;
}

/** `orders.controller.ts` → `orders.dto.ts`, beside it. */
export function dtoPathFor(controllerPath: string): string {
  const dir = posix.dirname(controllerPath);
  const stem = posix.basename(controllerPath).replace(/(\.controller)?\.(ts|tsx|mts|cts)$/, '');
  return posix.join(dir, `${stem}.dto.ts`);
}

/** Relative imports need `.js` when the project is NodeNext ESM or the file already writes them so. */
export function wantsJsSuffix(ctx: TransformContext, file: SourceFile): boolean {
  const rel = file.getImportDeclarations().map((d) => d.getModuleSpecifierValue()).filter((m) => m.startsWith('.'));
  if (rel.length > 0) return rel.some((m) => m.endsWith('.js'));
  return ctx.ws.info.moduleSystem === 'esm-nodenext';
}

function exportedClassIndex(ctx: TransformContext): Map<string, SourceFile> {
  const index = new Map<string, SourceFile>();
  for (const file of ctx.ws.allFiles) {
    for (const cls of file.getClasses()) {
      const name = cls.getName();
      if (name && cls.hasExportKeyword() && !index.has(name)) index.set(name, file);
    }
  }
  return index;
}

/**
 * `dtos`: replaces interface / type-alias / inline-literal `@Body()`/`@Query()` types with generated
 * class-validator DTO classes beside the controller, and turns `import type` DTO imports into value imports.
 * Untyped, `any` and keyed bodies are reported, never guessed.
 */
export function dtosTransform(ctx: TransformContext): void {
  const index = exportedClassIndex(ctx);
  const plans = new Map<string, DtoFilePlan>();
  const seen = new Set<MethodDeclaration>();
  for (const ctrl of ctx.controllers) {
    for (const route of ctrl.routes) {
      if (seen.has(route.method)) continue;
      seen.add(route.method);
      for (const p of handlerParams(route.method)) {
        if (p.kind !== 'body' && p.kind !== 'query') continue;
        dtoParam(ctx, route, p, plans, index);
      }
    }
  }
  if (plans.size > 0 && !ctx.app.bastion && !validatesInput(ctx)) {
    const first = ctx.controllers[0]!;
    ctx.skip(first.decorator, 'no ValidationPipe is registered (app.useGlobalPipes, APP_PIPE or @UsePipes) and BastionModule is not imported: the generated DTOs are not enforced until one is');
  }
  for (const plan of plans.values()) {
    if (plan.classes.size === 0) continue;
    const existing = ctx.ws.project.getSourceFile(plan.path);
    if (!existing) {
      const created = ctx.createFile(plan.path, renderDtoFile(plan, "'"));
      ctx.change(created.getFirstChild() ?? created, `created ${ctx.rel(created)} with ${[...plan.classes.keys()].join(', ')}`);
      continue;
    }
    const fe = ctx.edit(existing);
    for (const [module, names] of plan.imports) for (const n of names) fe.imports.ref(module, n);
    const text = existing.getFullText();
    fe.edits.insert(text.length, `${text.endsWith('\n') ? '\n' : '\n\n'}${[...plan.classes.values()].join('\n')}`);
    ctx.change(existing, `added ${[...plan.classes.keys()].join(', ')} to ${ctx.rel(existing)}`);
  }
}

/** Some file of the project uses Nest's `ValidationPipe` (a global, module-wide or per-route pipe). */
function validatesInput(ctx: TransformContext): boolean {
  return ctx.ws.allFiles.some((f) => f.getFullText().includes('ValidationPipe') && importsOf(f).localRef(NEST_COMMON, 'ValidationPipe') !== undefined);
}

function dtoParam(ctx: TransformContext, route: RouteInfo, p: HandlerParam, plans: Map<string, DtoFilePlan>, index: Map<string, SourceFile>): void {
  const method = route.method;
  const handler = handlerName(route);
  const info = classifyInput(ctx.ws, p);
  const label = `@${p.kind === 'body' ? 'Body' : 'Query'}(${p.key ? `'${p.key}'` : ''}) ${info.name}`;
  const file = method.getSourceFile();
  switch (info.status) {
    case 'untyped':
    case 'any':
      ctx.skip(p.param, `${handler}: ${label} is ${info.status === 'any' ? `typed ${info.type}` : 'untyped'}; its shape is not guessed: write a DTO class`);
      return;
    case 'keyed':
      ctx.skip(p.param, `${handler}: ${label} reads one field as a primitive, which ValidationPipe does not validate; group the fields into a DTO by hand`);
      return;
    case 'other':
      ctx.skip(p.param, `${handler}: ${label} has type ${info.type ?? '?'}, which has no DTO form`);
      return;
    case 'type-only-import':
      if (!ctx.editable(file)) return ctx.skip(p.param, `${handler}: in a file excluded from editing`);
      switchToValueImport(ctx, file, info.type ?? '');
      return;
    case 'interface':
    case 'type-alias':
    case 'inline':
      break;
    default:
      return;
  }
  if (p.key !== undefined) {
    ctx.skip(p.param, `${handler}: ${label} is keyed; a DTO for one field is not generated`);
    return;
  }
  if (!ctx.editable(file)) {
    ctx.skip(p.param, `${handler}: in a file excluded from editing`);
    return;
  }
  const typeNode = p.param.getTypeNode()!;
  let members: TypeElementTypes[];
  let className: string;
  let memberFile = file;
  let replacedName: string | undefined;
  let doc: string | undefined;
  const query = p.kind === 'query';
  if (Node.isTypeLiteral(typeNode)) {
    members = typeNode.getMembers();
    className = `${pascalCase(method.getName())}${query ? 'Query' : 'Body'}Dto`;
  } else if (Node.isTypeReference(typeNode)) {
    replacedName = typeNode.getTypeName().getText();
    const found = findDeclaration(ctx.ws.project, file, replacedName)!;
    memberFile = found.file;
    className = dtoNameFor(replacedName, query);
    if (Node.isJSDocable(found.node)) doc = found.node.getJsDocs().map((d) => d.getText()).join('\n') || undefined;
    if (Node.isInterfaceDeclaration(found.node)) {
      if (found.node.getExtends().length > 0 || found.node.getTypeParameters().length > 0) {
        ctx.skip(p.param, `${handler}: interface ${replacedName} extends other types or is generic; not generated`);
        return;
      }
      members = found.node.getMembers();
    } else if (Node.isTypeAliasDeclaration(found.node) && Node.isTypeLiteral(found.node.getTypeNode())) {
      members = (found.node.getTypeNode() as TypeLiteralNode).getMembers();
    } else {
      ctx.skip(p.param, `${handler}: type ${replacedName} is not an object type literal; not generated`);
      return;
    }
  } else {
    return;
  }
  const jsSuffix = wantsJsSuffix(ctx, file);
  const path = dtoPathFor(file.getFilePath());
  const plan = plans.get(path) ?? { path, classes: new Map<string, string>(), imports: new Map<string, Set<string>>() };
  const dtoExisting = ctx.ws.project.getSourceFile(path);
  if (!plan.classes.has(className) && !index.has(className)) {
    const types = new TypeFields(ctx.ws, { path, jsSuffix, planned: new Set(plan.classes.keys()), existing: index });
    let code;
    try {
      const fields = types.fields(className, members, memberFile, typeNode, [replacedName ?? className, resourceOf(route.controller)]);
      code = renderDto(className, fields, { ...ctx.ws.config, query, doc, swagger: ctx.ws.info.dependencies.has('@nestjs/swagger') });
    } catch (e) {
      if (!(e instanceof DtoError)) throw e;
      ctx.skip(e.node.getSourceFile() === file ? e.node : p.param, `${handler}: ${label}: ${e.message}; no DTO generated`);
      return;
    }
    for (const [name, text] of code.classes) plan.classes.set(name, text);
    for (const [module, names] of code.imports) plan.imports.set(module, new Set([...(plan.imports.get(module) ?? []), ...names]));
    for (const n of types.notes) ctx.bound({ field: n.field, rule: n.rule, origin: n.origin, reason: n.reason }, n.node);
    for (const d of code.defaulted) {
      const node = types.nodes.get(`${d.className}.${d.field}`) ?? p.param;
      ctx.bound({ field: `${d.className}.${d.field}`, rule: d.rule, origin: 'invented', reason: `bastion.json ${d.setting} (the code states no bound)` }, node);
    }
  }
  plans.set(path, plan);
  const fe = ctx.edit(file);
  const classFile = index.get(className);
  const fromFile = classFile && !plan.classes.has(className) ? classFile.getFilePath() : (dtoExisting?.getFilePath() ?? path);
  const ref = fromFile === file.getFilePath() ? className : fe.imports.ref(relativeSpecifier(file.getFilePath(), fromFile, jsSuffix), className);
  if (Node.isTypeReference(typeNode)) fe.edits.replace(typeNode.getTypeName().getStart(), typeNode.getTypeName().getEnd(), ref);
  else fe.edits.replace(typeNode.getStart(), typeNode.getEnd(), ref);
  if (replacedName) {
    fe.cleanup.add(replacedName);
    fe.cleanupDeclarations.add(replacedName);
  }
  ctx.change(p.param, `${handler}: ${label}: ${info.type} → ${className}${plan.classes.has(className) ? '' : ' (existing class reused)'}`);
}

/** `import type { X }` / `import { type X }` of a DTO class → value import, so its metadata survives. */
function switchToValueImport(ctx: TransformContext, file: SourceFile, name: string): void {
  const binding = importsOf(file).named.get(name);
  const decl: ImportDeclaration | undefined = binding?.declaration;
  if (!binding || !decl) return;
  const fe = ctx.edit(file);
  const text = file.getFullText();
  if (binding.specifier?.isTypeOnly()) {
    const spec = binding.specifier;
    const m = /^type\s+/.exec(spec.getText());
    if (m) fe.edits.remove(spec.getStart(), spec.getStart() + m[0].length);
  } else if (decl.isTypeOnly()) {
    const others = decl.getNamedImports().filter((s) => s !== binding.specifier);
    const allClasses = others.every((s) => {
      const found = findDeclaration(ctx.ws.project, file, s.getAliasNode()?.getText() ?? s.getName());
      return found !== undefined && Node.isClassDeclaration(found.node);
    });
    if (allClasses) {
      const m = /^import\s+type\s+/.exec(text.slice(decl.getStart()));
      if (m) fe.edits.replace(decl.getStart(), decl.getStart() + m[0].length, 'import ');
    } else if (binding.specifier) {
      ctx.skip(decl, `import type of ${name} also imports types; ${name} moved to a value import`);
      const named = decl.getNamedImports();
      const kept = named.filter((s) => s !== binding.specifier);
      fe.edits.replace(named[0]!.getStart(), named[named.length - 1]!.getEnd(), kept.map((s) => s.getText()).join(', '));
      fe.imports.ref(decl.getModuleSpecifierValue(), binding.specifier.getText());
    }
  }
  ctx.change(decl, `import type of DTO class ${name} → value import (ValidationPipe needs its metadata)`);
}
