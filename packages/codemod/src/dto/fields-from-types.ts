import { Node, SyntaxKind, type PropertySignature, type SourceFile, type TypeElementTypes, type TypeNode } from 'ts-morph';
import { findDeclaration, relativeSpecifier } from '../analysis/file-imports.js';
import type { Workspace } from '../project/workspace.js';
import { EvidenceIndex, type Evidence } from './evidence.js';
import { pascalCase, type FieldSpec, type TypeRef } from './field-spec.js';
import { DATE_MAX_LENGTH, EMAIL_MAX_LENGTH } from './render-dto.js';

/** Why a type could not become a DTO, with the node to point at. */
export class DtoError extends Error {
  constructor(message: string, readonly node: Node) {
    super(message);
  }
}

/** A rule a generated field got from the code (`evidence`) or from a guess (`inferred`), for the report. */
export interface FieldNote {
  /** `CreateOrderDto.item`. */
  field: string;
  rule: string;
  origin: 'evidence' | 'invented';
  reason: string;
  node: Node;
}

/** Where the generated classes go and which classes exist already. */
export interface TypeFieldsTarget {
  /** Path of the DTO file the classes are written to. */
  path: string;
  jsSuffix: boolean;
  /** Classes declared in that file already (earlier in this run). */
  planned: ReadonlySet<string>;
  /** Exported classes of the project by name: reused, not generated again. */
  existing: ReadonlyMap<string, SourceFile>;
}

/** A string whose name says it holds a date or a time: `createdAt`, `birthDate`, `publishedOn`. */
const DATE_NAME = /(?:[a-z]At|^date|[a-z]Date|[a-z]edOn)$/;

/**
 * Turns interfaces, type aliases and type literals into DTO fields, syntactically (no type checker). Bounds
 * come from the code where it states them (see `EvidenceIndex`); what is guessed is noted for the report.
 */
export class TypeFields {
  readonly notes: FieldNote[] = [];
  /** `Class.field` → the member it came from (to point the report at). */
  readonly nodes = new Map<string, Node>();
  private readonly inProgress = new Set<string>();
  private readonly evidence: EvidenceIndex;

  constructor(private readonly ws: Workspace, private readonly target: TypeFieldsTarget) {
    this.evidence = EvidenceIndex.of(ws);
  }

  /** Fields of class `owner` from `members`; `related` names the types whose existing rules apply. */
  fields(owner: string, members: TypeElementTypes[], file: SourceFile, at: Node, related: string[]): FieldSpec[] {
    this.inProgress.add(owner);
    try {
      const fields = members.map((m) => {
        if (!Node.isPropertySignature(m)) throw new DtoError(`member \`${m.getText().slice(0, 40)}\` is not a plain property (methods and index signatures have no DTO form)`, m);
        return this.property(m, owner, file, related);
      });
      if (fields.length === 0) throw new DtoError(`${owner} would have no members`, at);
      return fields;
    } finally {
      this.inProgress.delete(owner);
    }
  }

  private property(m: PropertySignature, owner: string, file: SourceFile, related: string[]): FieldSpec {
    const nameNode = m.getNameNode();
    if (!Node.isIdentifier(nameNode) && !Node.isStringLiteral(nameNode) && !Node.isNumericLiteral(nameNode)) throw new DtoError(`member ${nameNode.getText()} has a computed name`, m);
    const name = Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText();
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
    const field: FieldSpec = { name, ...this.mapType(core, name, owner, file, m) };
    if (optional) field.optional = true;
    if (nullable) field.nullable = true;
    const docs = m.getJsDocs().map((d) => d.getText());
    if (docs.length) field.doc = docs.join('\n  ');
    this.nodes.set(`${owner}.${name}`, m);
    this.applyEvidence(field, owner, related, m);
    return field;
  }

  private applyEvidence(field: FieldSpec, owner: string, related: string[], node: Node): void {
    const e: Evidence | undefined = field.enum || field.type === 'object' || field.type === 'enum' ? undefined : this.evidence.lookup(related, field.name);
    const rules: string[] = [];
    if (e && field.type === 'string') {
      if (e.type === 'email' || e.type === 'uuid' || e.type === 'date') {
        field.type = e.type;
        rules.push(e.type === 'email' ? '@IsEmail()' : e.type === 'uuid' ? '@IsUUID()' : '@IsISO8601()');
      }
      if (e.minLength !== undefined && e.minLength > 0) rules.push(`@MinLength(${(field.min = e.minLength)})`);
      // An e-mail address or a timestamp has a length limit of its own (see render-dto.ts).
      const inherent = field.type === 'email' ? EMAIL_MAX_LENGTH : field.type === 'date' ? DATE_MAX_LENGTH : undefined;
      if (e.maxLength !== undefined) field.max = inherent === undefined ? e.maxLength : Math.min(e.maxLength, inherent);
      if (field.max !== undefined || inherent !== undefined) rules.push(`@MaxLength(${field.max ?? inherent})`);
    } else if (e && field.type === 'number') {
      if (e.type === 'int') {
        field.type = 'int';
        rules.push('@IsInt()');
      }
      if (e.min !== undefined) rules.push(`@Min(${(field.min = e.min)})`);
      if (e.max !== undefined) rules.push(`@Max(${(field.max = e.max)})`);
    }
    if (e && field.array && e.maxItems !== undefined) rules.push(`@ArrayMaxSize(${(field.maxItems = e.maxItems)})`);
    if (e && rules.length) this.notes.push({ field: `${owner}.${field.name}`, rule: rules.join(' '), origin: 'evidence', reason: e.source, node });
    if (field.type === 'string' && !field.enum && DATE_NAME.test(field.name)) {
      field.type = 'date';
      this.notes.push({
        field: `${owner}.${field.name}`, rule: `@IsISO8601() @MaxLength(${DATE_MAX_LENGTH})`, origin: 'invented',
        reason: `an ISO 8601 date string, inferred from the name "${field.name}"`, node,
      });
    }
  }

  private mapType(types: TypeNode[], prop: string, owner: string, file: SourceFile, at: Node): Omit<FieldSpec, 'name'> {
    if (types.length === 0) throw new DtoError(`member ${prop} has no usable type`, at);
    if (types.length > 1) {
      const lits = types.map((t) => (Node.isLiteralTypeNode(t) ? t.getLiteral() : undefined));
      const values = lits.map((l) => (l && Node.isStringLiteral(l) ? l.getLiteralValue() : l && Node.isNumericLiteral(l) ? Number(l.getLiteralValue()) : undefined));
      if (values.every((v) => v !== undefined)) {
        return { type: values.every((v) => typeof v === 'number') ? 'number' : 'string', enum: values as Array<string | number> };
      }
      throw new DtoError(`member ${prop} has a union type \`${types.map((t) => t.getText()).join(' | ')}\` with no single validator`, at);
    }
    const t = types[0]!;
    if (Node.isParenthesizedTypeNode(t)) return this.mapType([t.getTypeNode()], prop, owner, file, at);
    if (Node.isTypeOperatorTypeNode(t) && t.getOperator() === SyntaxKind.ReadonlyKeyword) return this.mapType([t.getTypeNode()], prop, owner, file, at);
    let element: TypeNode | undefined;
    if (Node.isArrayTypeNode(t)) element = t.getElementTypeNode();
    else if (Node.isTypeReference(t) && ['Array', 'ReadonlyArray'].includes(t.getTypeName().getText()) && t.getTypeArguments().length === 1) element = t.getTypeArguments()[0];
    if (element) {
      const inner = Node.isUnionTypeNode(element) ? this.mapType(element.getTypeNodes(), prop, owner, file, at) : this.scalar(element, prop, owner, file, at);
      if (inner.array) throw new DtoError(`member ${prop} is an array of arrays, which has no DTO form`, at);
      return { ...inner, array: true };
    }
    return this.scalar(t, prop, owner, file, at);
  }

  /** A type for a non-union, non-array type node. */
  private scalar(t: TypeNode, prop: string, owner: string, file: SourceFile, at: Node): Omit<FieldSpec, 'name'> {
    switch (t.getKind()) {
      case SyntaxKind.StringKeyword: return { type: 'string' };
      case SyntaxKind.NumberKeyword: return { type: 'number' };
      case SyntaxKind.BooleanKeyword: return { type: 'boolean' };
      default: break;
    }
    if (Node.isParenthesizedTypeNode(t)) return this.mapType([t.getTypeNode()], prop, owner, file, at);
    if (Node.isLiteralTypeNode(t)) {
      const lit = t.getLiteral();
      if (Node.isStringLiteral(lit)) return { type: 'string', enum: [lit.getLiteralValue()] };
      if (Node.isNumericLiteral(lit)) return { type: 'number', enum: [Number(lit.getLiteralValue())] };
    }
    if (Node.isTypeLiteral(t)) {
      const name = `${owner.replace(/Dto$/, '')}${pascalCase(prop)}Dto`;
      return this.nested(name, () => this.fields(name, t.getMembers(), file, t, [prop]));
    }
    if (Node.isTypeReference(t)) {
      const refName = t.getTypeName().getText();
      if (refName === 'Date') return { type: 'date-object' };
      if (t.getTypeArguments().length > 0) throw new DtoError(`member ${prop} uses generic type ${t.getText()}`, at);
      const found = findDeclaration(this.ws.project, file, refName);
      if (!found) throw new DtoError(`member ${prop} has type ${refName}, which is not declared in the project`, at);
      const decl = found.node;
      if (Node.isEnumDeclaration(decl)) {
        if (!decl.hasExportKeyword()) throw new DtoError(`enum ${refName} is not exported; export it to validate ${prop}`, at);
        return { type: 'enum', ref: this.ref(refName, found.file) };
      }
      if (Node.isClassDeclaration(decl)) {
        if (!decl.hasExportKeyword()) throw new DtoError(`class ${refName} is not exported`, at);
        return { type: 'object', ref: this.ref(refName, found.file) };
      }
      const name = dtoNameFor(refName, false);
      if (Node.isInterfaceDeclaration(decl)) {
        if (decl.getExtends().length > 0) throw new DtoError(`interface ${refName} extends other types; not generated`, at);
        return this.nested(name, () => this.fields(name, decl.getMembers(), found.file, decl, [refName, prop]));
      }
      if (Node.isTypeAliasDeclaration(decl)) {
        const aliased = decl.getTypeNode();
        if (aliased && Node.isTypeLiteral(aliased)) return this.nested(name, () => this.fields(name, aliased.getMembers(), found.file, decl, [refName, prop]));
        if (aliased) return this.mapType(Node.isUnionTypeNode(aliased) ? aliased.getTypeNodes() : [aliased], prop, owner, found.file, at);
      }
    }
    throw new DtoError(`member ${prop} has type \`${t.getText()}\`, which has no safe validator (any/unknown/object/Record are not guessed)`, at);
  }

  /** A nested DTO class: the one declared already (this run, this file, or an exported class of that name), else new fields. */
  private nested(name: string, build: () => FieldSpec[]): Omit<FieldSpec, 'name'> {
    if (this.inProgress.has(name) || this.target.planned.has(name)) return { type: 'object', ref: { name } };
    const existing = this.target.existing.get(name);
    if (existing) return { type: 'object', ref: this.ref(name, existing) };
    return { type: 'object', className: name, fields: build() };
  }

  private ref(name: string, file: SourceFile): TypeRef {
    const path = file.getFilePath();
    return path === this.target.path ? { name } : { name, from: relativeSpecifier(this.target.path, path, this.target.jsSuffix) };
  }
}

/** DTO class name for a type name: `CreateOrder` → `CreateOrderDto`; an interface already named `…Dto` gets `…BodyDto`/`…QueryDto`. */
export function dtoNameFor(typeName: string, query: boolean): string {
  const base = typeName.replace(/(Dto|Interface)$/, '');
  const name = `${base}Dto`;
  if (name !== typeName) return name;
  return `${base}${query ? 'Query' : 'Body'}Dto`;
}
