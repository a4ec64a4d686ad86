/**
 * Who a `.cpuprofile` frame belongs to: Bastion (its built `dist/` mapped back to `src/` through the
 * source maps), Nest, the adapter (Express or Fastify and their dependencies), the libraries each app
 * adds, Node's internals, or V8 itself (GC, native code, idle).
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface Frame {
  /** Stable across profiles: category, location and name. */
  key: string;
  name: string;
  category: string;
  /** `src/transport/transport-policy.ts:24` for Bastion, `express/lib/router.js:88`, `node:_http_outgoing:640`. */
  location: string;
}

export const BASTION = 'Bastion';
export const IDLE = '(idle)';

const PACKAGES: Record<string, string[]> = {
  Nest: ['@nestjs/core', '@nestjs/common', 'reflect-metadata', 'tslib', 'iterare', 'uid', 'fast-safe-stringify', 'load-esm'],
  rxjs: ['rxjs'],
  'Express + deps': ['@nestjs/platform-express', 'express', 'router', 'body-parser', 'finalhandler', 'on-finished', 'ee-first', 'parseurl', 'qs', 'side-channel', 'type-is', 'media-typer', 'content-type', 'raw-body', 'iconv-lite', 'bytes', 'http-errors', 'statuses', 'depd', 'debug', 'ms', 'send', 'serve-static', 'encodeurl', 'escape-html', 'etag', 'fresh', 'mime-types', 'mime-db', 'merge-descriptors', 'proxy-addr', 'forwarded', 'ipaddr.js', 'accepts', 'negotiator', 'vary', 'cookie', 'cookie-signature', 'path-to-regexp', 'range-parser', 'unpipe', 'setprototypeof', 'safe-buffer', 'safer-buffer', 'content-disposition', 'destroy', 'inherits', 'once', 'wrappy', 'is-promise', 'utils-merge', 'multer', 'append-field', 'busboy', 'streamsearch', 'math-intrinsics', 'call-bound', 'get-intrinsic', 'es-errors', 'function-bind', 'hasown', 'gopd', 'has-symbols', 'dunder-proto', 'es-object-atoms', 'call-bind-apply-helpers', 'get-proto', 'object-inspect', 'side-channel-list', 'side-channel-map', 'side-channel-weakmap', 'es-define-property'],
  'Fastify + deps': ['@nestjs/platform-fastify', 'fastify', 'find-my-way', 'avvio', 'light-my-request', 'pino', 'pino-std-serializers', 'abstract-logging', 'toad-cache', 'fast-json-stringify', 'fast-querystring', 'fast-decode-uri-component', 'secure-json-parse', 'process-warning', 'rfdc', 'fastq', 'reusify', 'safe-regex2', 'ret', 'fast-uri', 'json-schema-ref-resolver', 'ajv', 'fastify-plugin', 'path-to-regexp', 'fast-deep-equal', 'dequal', 'http-errors', 'cookie', 'proxy-addr', 'forwarded', 'ipaddr.js', 'semver', 'on-exit-leak-free', 'thread-stream', 'sonic-boom', 'atomic-sleep', 'quick-format-unescaped', 'real-require', 'safe-stable-stringify'],
  throttler: ['@nestjs/throttler'],
  'passport + jwt': ['passport', 'passport-strategy', 'passport-jwt', '@nestjs/passport', 'jsonwebtoken', 'jws', 'jwa', 'jwks-rsa', 'lru-memoizer', 'lru-cache', 'limiter', 'lodash.clonedeep', 'lodash.includes', 'lodash.isboolean', 'lodash.isinteger', 'lodash.isnumber', 'lodash.isplainobject', 'lodash.isstring', 'lodash.once', 'buffer-equal-constant-time', 'ecdsa-sig-formatter', 'utils-merge', 'pause'],
  jose: ['jose'],
  'class-validator / transformer': ['class-validator', 'class-transformer', 'validator', 'libphonenumber-js'],
  helmet: ['helmet', '@fastify/helmet'],
};

function packageOf(path: string): { name: string; rest: string } | undefined {
  const at = path.lastIndexOf('/node_modules/');
  if (at === -1) return undefined;
  const parts = path.slice(at + '/node_modules/'.length).split('/');
  const scoped = parts[0]!.startsWith('@');
  const name = scoped ? `${parts[0]}/${parts[1]}` : parts[0]!;
  return { name, rest: parts.slice(scoped ? 2 : 1).join('/') };
}

/** The category of an npm package; the adapter's deps are told apart by `adapter` when a name is in both. */
function categoryOf(pkg: string, adapter: string | undefined): string {
  const matches = Object.entries(PACKAGES).filter(([, names]) => names.includes(pkg)).map(([category]) => category);
  if (matches.length > 1 && adapter) return matches.find((c) => c.toLowerCase().startsWith(adapter)) ?? matches[0]!;
  return matches[0] ?? `other: ${pkg}`;
}

const maps = new Map<string, { map: SourceMap; dir: string } | null>();

/** Bastion's `dist/…js` position mapped to `src/…ts:line` (1-based), or the dist position. */
function bastionLocation(path: string, line: number, column: number): string {
  const root = path.slice(0, path.indexOf('/packages/nest/') + '/packages/nest/'.length);
  if (!maps.has(path)) {
    try {
      maps.set(path, { map: new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))), dir: dirname(path) });
    } catch {
      maps.set(path, null);
    }
  }
  const loaded = maps.get(path);
  const entry = loaded?.map.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
  if (loaded && entry?.originalSource !== undefined && entry.originalLine !== undefined) {
    return `${relative(root, resolve(loaded.dir, entry.originalSource))}:${entry.originalLine + 1}`;
  }
  return `${relative(root, path)}:${line + 1}`;
}

export class FrameResolver {
  private readonly cache = new Map<string, Frame>();

  /** `adapter` ('express' | 'fastify') settles packages both adapters use. */
  constructor(private readonly adapter?: string) {}

  resolve(cf: CallFrame): Frame {
    const id = `${cf.url}|${cf.functionName}|${cf.lineNumber}|${cf.columnNumber}`;
    let frame = this.cache.get(id);
    if (!frame) {
      frame = this.build(cf);
      this.cache.set(id, frame);
    }
    return frame;
  }

  private build(cf: CallFrame): Frame {
    const name = cf.functionName || '(anonymous)';
    const make = (category: string, location: string): Frame => ({ key: `${category}|${location}|${name}`, name, category, location });
    if (cf.url === '') {
      if (name === '(idle)') return make(IDLE, '');
      if (name === '(garbage collector)') return make('GC', '');
      if (name === '(program)' || name === '(root)') return make('V8 (program)', '');
      return make('V8 builtins', '');
    }
    if (cf.url.startsWith('node:')) return make('Node internals', `${cf.url}:${cf.lineNumber + 1}`);
    const path = cf.url.startsWith('file:') ? fileURLToPath(cf.url) : cf.url;
    if (path.includes('/packages/nest/')) return make(BASTION, bastionLocation(path, cf.lineNumber, cf.columnNumber));
    const pkg = packageOf(path);
    if (pkg) return make(categoryOf(pkg.name, this.adapter), `${pkg.name}/${pkg.rest}:${cf.lineNumber + 1}`);
    if (path.includes('/bench/')) return make('bench app', `${path.slice(path.lastIndexOf('/bench/') + 1)}:${cf.lineNumber + 1}`);
    return make('other', `${path}:${cf.lineNumber + 1}`);
  }
}
