import { Node, SyntaxKind, type PropertySignature, type SourceFile, type TypeElementTypes, type TypeNode } from 'ts-morph';
import { findDeclaration, relativeSpecifier } from '../analysis/file-imports.js';
import type { Workspace } from '../project/workspace.js';

const CV = 'class-validator';
const CT = 'class-transformer';

/** Why a type could not become a DTO, with the node to point at. */
export class DtoError extends Error {
  constructor(message: string, readonly node: Node) {
    super(message);
  }
}

/** Generated classes and the imports they need, for one DTO file. */
export interface DtoFilePlan {
  path: string;
  classes: Map<string, string>;
  imports: Map<string, Set<string>>;
}

function pascal(s: string): string {
  return s.replace(/(^|[-_\s]+)(\w)/g, (_, __, c: string) => c.toUpperCase());
}

/** Builds class-validator DTO classes from interfaces, type aliases and type literals (syntactically). */
export class DtoBuilder {
  constructor(
    private readonly ws: Workspace,
    private readonly plan: DtoFilePlan,
    private readonly existing: Map<string, SourceFile>,
    private readonly jsSuffix: boolean,
    private readonly query: boolean,
  ) {}

  private use(module: string, name: string): string {
    const set = this.plan.imports.get(module) ?? new Set<string>();
    set.add(name);
    this.plan.imports.set(module, set);
    return name;
  }

  /** Name of an existing exported class to reuse, or undefined. Imports it into the plan when it lives elsewhere. */
  private reuse(name: string): boolean {
    if (this.plan.classes.has(name)) return true;
    const file = this.existing.get(name);
    if (!file) return false;
    if (file.getFilePath() !== this.plan.path) this.use(relativeSpecifier(this.plan.path, file.getFilePath(), this.jsSuffix), name);
    return true;
  }

  /** Generates (or reuses) a class named `name` with the members of `members`; returns the name. */
  build(name: string, members: TypeElementTypes[], file: SourceFile, at: Node): string {
    if (this.reuse(name)) return name;
    this.plan.classes.set(name, '');
    const props: string[] = [];
    for (const m of members) {
      if (!Node.isPropertySignature(m)) throw new DtoError(`member \`${m.getText().slice(0, 40)}\` is not a plain property (methods and index signatures have no DTO form)`, m);
      props.push(this.property(m, name, file));
    }
    if (props.length === 0) throw new DtoError(`${name} would have no members`, at);
    // Insertion order matters: nested classes were set before this one, so `design:type` never meets a TDZ.
    this.plan.classes.delete(name);
    this.plan.classes.set(name, `export class ${name} {\n${props.join('\n\n')}\n}\n`);
    return name;
  }

  private property(m: PropertySignature, owner: string, file: SourceFile): string {
    const nameNode = m.getNameNode();
    const name = nameNode.getText();
    const typeNode = m.getTypeNode();
    if (!typeNode) throw new DtoError(`member ${name} has no type`, m);
    let optional = m.hasQuestionToken();
    let nullable = false;
    let core: TypeNode[] = [typeNode];
    if (Node.isUnionTypeNode(typeNode)) {
      core = [];
      for (const t of typeNode.getTypeNodes()) {
        if (t.getKind() === SyntaxKind.UndefinedKeyword) optional = true;
        else if (Node.isLiteralTypeNode(t) && t.getLiteral().getKind() === SyntaxKind.NullKeyword) nullable = true;
        else core.push(t);
      }
    }
    const mapped = this.mapType(core, name, owner, file, m);
    const decorators: string[] = [];
    if (optional) decorators.push(`@${this.use(CV, 'IsOptional')}()`);
    else if (nullable) decorators.push(`@${this.use(CV, 'ValidateIf')}((_object, value) => value !== null)`);
    decorators.push(...mapped.decorators);
    let type = mapped.type;
    if (nullable) type = `${type} | null`;
    const leadingDoc = m.getJsDocs().map((d) => `  ${d.getText()}\n`).join('');
    const marker = optional ? '?' : '!';
    return `${leadingDoc}${decorators.map((d) => `  ${d}\n`).join('')}  ${name}${marker}: ${type};`;
  }

  private mapType(types: TypeNode[], prop: string, owner: string, file: SourceFile, at: Node): { decorators: string[]; type: string } {
    if (types.length === 0) throw new DtoError(`member ${prop} has no usable type`, at);
    if (types.length > 1) {
      const lits = types.map((t) => (Node.isLiteralTypeNode(t) ? t.getLiteral() : undefined));
      if (lits.every((l) => l && (Node.isStringLiteral(l) || Node.isNumericLiteral(l)))) {
        const values = lits.map((l) => l!.getText());
        return { decorators: [`@${this.use(CV, 'IsIn')}([${values.join(', ')}])`], type: values.join(' | ') };
      }
      throw new DtoError(`member ${prop} has a union type \`${types.map((t) => t.getText()).join(' | ')}\` with no single validator`, at);
    }
    const t = types[0]!;
    if (Node.isParenthesizedTypeNode(t)) return this.mapType([t.getTypeNode()], prop, owner, file, at);
    if (Node.isArrayTypeNode(t)) return this.array(t.getElementTypeNode(), prop, owner, file, at);
    if (Node.isTypeReference(t) && ['Array', 'ReadonlyArray'].includes(t.getTypeName().getText()) && t.getTypeArguments().length === 1) {
      return this.array(t.getTypeArguments()[0]!, prop, owner, file, at);
    }
    const single = this.scalar(t, prop, owner, file, at, '');
    return { decorators: single.decorators, type: single.type };
  }

  private array(el: TypeNode, prop: string, owner: string, file: SourceFile, at: Node): { decorators: string[]; type: string } {
    const inner = Node.isUnionTypeNode(el) ? this.mapType(el.getTypeNodes(), prop, owner, file, at) : this.scalar(el, prop, owner, file, at, '{ each: true }');
    const decorators = Node.isUnionTypeNode(el) ? inner.decorators.map((d) => d.replace(/\)$/, ', { each: true })')) : inner.decorators;
    const type = Node.isUnionTypeNode(el) ? `(${inner.type})[]` : `${inner.type}[]`;
    return { decorators: [`@${this.use(CV, 'IsArray')}()`, ...decorators], type };
  }

  /** Validators for one non-union type; `each` is `''` or `'{ each: true }'`. */
  private scalar(t: TypeNode, prop: string, owner: string, file: SourceFile, at: Node, each: string): { decorators: string[]; type: string } {
    const opt = each ? each : '';
    const withOpt = (args: string) => (each ? (args ? `${args}, ${each}` : each) : args);
    const max = this.ws.config.maxStringLength;
    switch (t.getKind()) {
      case SyntaxKind.StringKeyword:
        if (/(At|Date|On)$/.test(prop)) return { decorators: [`@${this.use(CV, 'IsDateString')}(${each ? `{}, ${each}` : ''})`], type: 'string' };
        return { decorators: [`@${this.use(CV, 'IsString')}(${opt})`, `@${this.use(CV, 'MaxLength')}(${withOpt(String(max))})`], type: 'string' };
      case SyntaxKind.NumberKeyword: {
        const d = [`@${this.use(CV, 'IsNumber')}(${each ? `{}, ${each}` : ''})`];
        if (this.query) d.unshift(`@${this.use(CT, 'Type')}(() => Number)`);
        return { decorators: d, type: 'number' };
      }
      case SyntaxKind.BooleanKeyword: {
        const d = [`@${this.use(CV, 'IsBoolean')}(${opt})`];
        if (this.query) d.unshift(`@${this.use(CT, 'Transform')}(({ value }) => value === 'true' || value === true)`);
        return { decorators: d, type: 'boolean' };
      }
      default:
        break;
    }
    if (Node.isLiteralTypeNode(t)) {
      const lit = t.getLiteral();
      if (Node.isStringLiteral(lit) || Node.isNumericLiteral(lit)) return { decorators: [`@${this.use(CV, 'IsIn')}([${lit.getText()}]${each ? `, ${each}` : ''})`], type: lit.getText() };
    }
    if (Node.isTypeLiteral(t)) {
      const nested = this.build(`${owner.replace(/Dto$/, '')}${pascal(prop)}Dto`, t.getMembers(), file, t);
      return this.nested(nested, each);
    }
    if (Node.isTypeReference(t)) {
      const refName = t.getTypeName().getText();
      if (refName === 'Date') return { decorators: [`@${this.use(CT, 'Type')}(() => Date)`, `@${this.use(CV, 'IsDate')}(${opt})`], type: 'Date' };
      if (t.getTypeArguments().length > 0) throw new DtoError(`member ${prop} uses generic type ${t.getText()}`, at);
      const found = findDeclaration(this.ws.project, file, refName);
      if (!found) throw new DtoError(`member ${prop} has type ${refName}, which is not declared in the project`, at);
      const decl = found.node;
      if (Node.isEnumDeclaration(decl)) {
        if (!decl.hasExportKeyword()) throw new DtoError(`enum ${refName} is not exported; export it to validate ${prop}`, at);
        if (found.file.getFilePath() !== this.plan.path) this.use(relativeSpecifier(this.plan.path, found.file.getFilePath(), this.jsSuffix), refName);
        return { decorators: [`@${this.use(CV, 'IsEnum')}(${withOpt(refName)})`], type: refName };
      }
      if (Node.isClassDeclaration(decl)) {
        if (!decl.hasExportKeyword()) throw new DtoError(`class ${refName} is not exported`, at);
        if (found.file.getFilePath() !== this.plan.path) this.use(relativeSpecifier(this.plan.path, found.file.getFilePath(), this.jsSuffix), refName);
        return this.nested(refName, each);
      }
      if (Node.isInterfaceDeclaration(decl)) {
        if (decl.getExtends().length > 0) throw new DtoError(`interface ${refName} extends other types; not generated`, at);
        return this.nested(this.build(dtoNameFor(refName, false), decl.getMembers(), found.file, decl), each);
      }
      if (Node.isTypeAliasDeclaration(decl)) {
        const aliased = decl.getTypeNode();
        if (aliased && Node.isTypeLiteral(aliased)) return this.nested(this.build(dtoNameFor(refName, false), aliased.getMembers(), found.file, decl), each);
        if (aliased) return this.mapType(Node.isUnionTypeNode(aliased) ? aliased.getTypeNodes() : [aliased], prop, owner, found.file, at);
      }
    }
    throw new DtoError(`member ${prop} has type \`${t.getText()}\`, which has no safe validator (any/unknown/object/Record are not guessed)`, at);
  }

  private nested(name: string, each: string): { decorators: string[]; type: string } {
    return { decorators: [`@${this.use(CV, 'ValidateNested')}(${each})`, `@${this.use(CT, 'Type')}(() => ${name})`], type: name };
  }
}

/** DTO class name for a type name: `CreateOrder` → `CreateOrderDto`; an interface already named `…Dto` gets `…BodyDto`/`…QueryDto`. */
export function dtoNameFor(typeName: string, query: boolean): string {
  const base = typeName.replace(/(Dto|Interface)$/, '');
  const name = `${base}Dto`;
  if (name !== typeName) return name;
  return `${base}${query ? 'Query' : 'Body'}Dto`;
}

/** Renders a whole new DTO file. */
export function renderDtoFile(plan: DtoFilePlan, quote: string): string {
  const order = ['class-validator', 'class-transformer'];
  const modules = [...plan.imports.keys()].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || a.localeCompare(b);
  });
  const imports = modules.map((m) => `import { ${[...plan.imports.get(m)!].sort().join(', ')} } from ${quote}${m}${quote};`);
  return `${imports.join('\n')}\n\n${[...plan.classes.values()].join('\n')}`;
}
