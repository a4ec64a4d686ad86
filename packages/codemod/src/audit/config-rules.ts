import { Node, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import type { AppConfig } from '../analysis/app-config.js';
import { importsOf, NEST_COMMON } from '../analysis/file-imports.js';
import { jwtOptionSites } from '../analysis/jwt-options.js';
import { constantString, objectOf, objectProperty, unwrap } from '../analysis/literals.js';
import { relativePath, type Workspace } from '../project/workspace.js';
import type { Finding } from '../report/types.js';

const TEST_FILE = /\.(spec|test|e2e-spec|e2e)\.ts$|(^|\/)(test|tests|__tests__)\//;
const SECRET_KEYS = ['secret', 'secretOrKey', 'secretOrPrivateKey', 'privateKey'];

/** `'literal'`, a constant, or `process.env.X ?? 'literal'`: how a secret value is hard-coded, if it is. */
function hardCoded(ws: Workspace, value: Node | undefined): string | undefined {
  const inner = unwrap(value);
  if (!inner) return undefined;
  if (Node.isStringLiteral(inner) || Node.isNoSubstitutionTemplateLiteral(inner)) return 'is a string literal';
  if (Node.isBinaryExpression(inner) && ['||', '??'].includes(inner.getOperatorToken().getText())) {
    return constantString(ws.project, inner.getRight()) !== undefined ? `falls back to a hard-coded string when ${inner.getLeft().getText()} is unset` : undefined;
  }
  if (Node.isIdentifier(inner) || Node.isPropertyAccessExpression(inner)) {
    return constantString(ws.project, inner) !== undefined ? `comes from the constant ${inner.getText()} written in the source` : undefined;
  }
  return undefined;
}

function corsOptions(ws: Workspace, file: SourceFile): Array<{ where: string; options: ObjectLiteralExpression }> {
  const out: Array<{ where: string; options: ObjectLiteralExpression }> = [];
  const imports = importsOf(file);
  file.forEachDescendant((n) => {
    if (!Node.isCallExpression(n)) return;
    const callee = n.getExpression();
    const args = n.getArguments();
    if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'enableCors') {
      const o = objectOf(ws.project, args[0]);
      if (o) out.push({ where: 'app.enableCors', options: o });
    } else if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'create' && /NestFactory/.test(callee.getExpression().getText())) {
      const o = objectOf(ws.project, objectProperty(objectOf(ws.project, args[1]), 'cors'));
      if (o) out.push({ where: 'NestFactory.create({ cors })', options: o });
    } else if (Node.isIdentifier(callee) && imports.resolve(callee)?.module === 'cors') {
      const o = objectOf(ws.project, args[0]);
      if (o) out.push({ where: 'cors()', options: o });
    }
  });
  return out;
}

/** Why a CORS `origin` admits every origin, if it does. */
function anyOrigin(origin: Node | undefined): string | undefined {
  const o = unwrap(origin);
  if (!o) return undefined;
  const text = o.getText().replace(/\s+/g, '');
  if (text === 'true') return 'origin: true reflects every Origin';
  if (/^['"`]\*['"`]$/.test(text) || /^\[['"`]\*['"`]\]$/.test(text)) return "origin: '*'";
  if (/^\/\^?\.[*+]\$?\/[a-z]*$/.test(text)) return `origin: ${text} matches every Origin`;
  if ((Node.isArrowFunction(o) || Node.isFunctionExpression(o)) && /\(null,true\)/.test(text) && !/\bif\b|\?|includes|test\(|indexOf|===|!==|\bhas\(/.test(text)) {
    return 'the origin callback accepts every Origin';
  }
  return undefined;
}

/** Findings about app configuration: ValidationPipe options, CORS with credentials, hard-coded JWT secrets. */
export function configFindings(ws: Workspace, app: AppConfig): Finding[] {
  const out: Finding[] = [];
  for (const file of ws.allFiles) {
    const text = file.getFullText();
    const rel = relativePath(ws, file.getFilePath());
    const test = TEST_FILE.test(rel);
    if (!app.bastion && text.includes('ValidationPipe')) {
      const imports = importsOf(file);
      file.forEachDescendant((n) => {
        if (!Node.isNewExpression(n) || !imports.is(n.getExpression(), NEST_COMMON, 'ValidationPipe')) return;
        const arg = n.getArguments()[0];
        const opts = objectOf(ws.project, arg);
        if (arg && !opts) return;
        const line = n.getStartLineNumber();
        if (objectProperty(opts, 'whitelist')?.getText() !== 'true') {
          out.push({ rule: 'validation-whitelist-off', severity: 'warning', file: rel, line, message: 'ValidationPipe without whitelist: true: properties no DTO declares reach the handler (mass assignment)' });
        }
        if (objectProperty(opts, 'forbidUnknownValues')?.getText() !== 'true') {
          const explicit = objectProperty(opts, 'forbidUnknownValues') !== undefined;
          out.push({ rule: 'validation-forbid-unknown-off', severity: 'warning', file: rel, line, message: `ValidationPipe with forbidUnknownValues ${explicit ? 'set to false' : 'off (Nest defaults it to false)'}: a value that is not an instance of a validated class passes unchecked` });
        }
      });
    }
    if (/enableCors|cors/.test(text)) {
      for (const { where, options } of corsOptions(ws, file)) {
        const why = anyOrigin(objectProperty(options, 'origin'));
        if (why && objectProperty(options, 'credentials')?.getText() === 'true') {
          out.push({ rule: 'cors-credentials-any-origin', severity: 'error', file: rel, line: options.getStartLineNumber(), message: `${where}: ${why} with credentials: true: any web site can make credentialed requests and read the answers` });
        }
      }
    }
    if (!test && /secret|privateKey|jwt/i.test(text)) {
      for (const { where, options, direct } of jwtOptionSites(ws, file)) {
        const checks: Array<{ key: string; node: Node | undefined }> = direct ? [{ key: 'secret argument', node: direct }] : SECRET_KEYS.map((k) => ({ key: k, node: objectProperty(options, k) }));
        for (const { key, node } of checks) {
          const how = hardCoded(ws, node);
          // The value itself is never printed: the report must not carry the secret it warns about.
          if (how && node) out.push({ rule: 'hardcoded-jwt-secret', severity: 'error', file: rel, line: node.getStartLineNumber(), message: `${where}: ${key} ${how}; read it from the environment or a secret store` });
        }
      }
    }
  }
  return out;
}
