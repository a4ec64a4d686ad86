import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { changed, nestApp, PKG, runner, snapshot } from './support.js';

const NEST = join(PKG, '..', 'packages', 'nest');
const FIELDS = 'item:string:1-100,quantity:int:1-1000,note?:string:0-500';

async function initialised(flavour: Parameters<typeof nestApp>[0] = {}, deps: Record<string, string> = {}) {
  const tree = nestApp(flavour);
  const pkg = JSON.parse(tree.readText('package.json')) as { dependencies: Record<string, string> };
  tree.overwrite('package.json', JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, ...deps } }, null, 2) + '\n');
  const { runner: r } = runner();
  return r.runSchematic('init', { skipInstall: true }, tree);
}

/**
 * Type-checks the generated files (strict, CommonJS) against the real packages the repository installs
 * for `@bastion/nest`'s suites: `@nestjs/graphql`, `@nestjs/websockets`, class-validator, and `@bastion/nest`'s build.
 */
function typecheck(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-schematic-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const nm = join(NEST, 'node_modules');
    const program = ts.createProgram(Object.keys(files).map((p) => join(dir, p)), {
      strict: true, noEmit: true, experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: true, ignoreDeprecations: '6.0',
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, types: [],
      paths: { '@bastion/nest': [join(NEST, 'dist', 'cjs', 'index.d.ts')], '@nestjs/*': [join(nm, '@nestjs', '*')], 'class-validator': [join(nm, 'class-validator')], 'class-transformer': [join(nm, 'class-transformer')] },
    });
    return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName.slice(dir.length + 1) ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sources = (files: Record<string, string>, paths: string[]): Record<string, string> => Object.fromEntries(paths.filter((p) => p.endsWith('.ts')).map((p) => [p, files[p]!]));

describe('secure-resolver (sresolver)', () => {
  it('generates a resolver whose every query and mutation requires its scope: exact file list and contents', async () => {
    const tree = await initialised({}, { '@nestjs/graphql': '^13.0.0' });
    const before = snapshot(tree);
    const { runner: r, logs } = runner();
    const after = snapshot(await r.runSchematic('sresolver', { name: 'orders', fields: FIELDS }, tree));
    expect(changed(before, after)).toEqual([
      'src/app.module.ts',
      'src/orders/dto/create-order.input.ts',
      'src/orders/models/order.model.ts',
      'src/orders/orders.module.ts',
      'src/orders/orders.resolver.ts',
      'src/orders/orders.scopes.ts',
      'src/orders/orders.service.ts',
    ]);
    for (const file of changed(before, after)) {
      await expect(after[file]).toMatchFileSnapshot(`./__snapshots__/sresolver-orders/${file}.snap`);
    }
    const resolver = after['src/orders/orders.resolver.ts']!;
    expect(resolver.match(/@(Query|Mutation)\(/g)).toHaveLength(4);
    expect(resolver.match(/@RequireScopes\(ORDERS_SCOPES\.(read|write|delete)\)/g)).toEqual([
      '@RequireScopes(ORDERS_SCOPES.read)', '@RequireScopes(ORDERS_SCOPES.read)', '@RequireScopes(ORDERS_SCOPES.write)', '@RequireScopes(ORDERS_SCOPES.delete)',
    ]);
    expect(after['src/orders/orders.scopes.ts']).toContain("read: 'orders:read',\n  write: 'orders:write',\n  delete: 'orders:delete',");
    expect(after['src/app.module.ts']).toContain("import { OrdersModule } from './orders/orders.module.js';");
    expect(logs.filter((l) => l.startsWith('warn'))).toEqual([]);
  });

  it('type-checks against @nestjs/graphql and @bastion/nest (CommonJS, int ids)', async () => {
    const tree = await initialised({ esm: false, nestMajor: 11, runner: 'jest' }, { '@nestjs/graphql': '^13.0.0' });
    const before = snapshot(tree);
    const { runner: r } = runner();
    const after = snapshot(await r.runSchematic('sresolver', { name: 'orders', fields: FIELDS, idType: 'int' }, tree));
    const generated = changed(before, after);
    expect(after['src/orders/orders.resolver.ts']).toContain("@Args('id', { type: () => Int }, ParseIntPipe) id: number");
    expect(typecheck(sources(after, generated.filter((p) => p.startsWith('src/orders/'))))).toEqual([]);
    // The check is live: a wrong type in the same setting is reported.
    expect(typecheck({ 'src/x.ts': "import { Int } from '@nestjs/graphql';\nexport const x: string = Int;\n" })).toHaveLength(1);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const { runner: r } = runner();
    const once = await r.runSchematic('sresolver', { name: 'orders', fields: FIELDS }, await initialised({}, { '@nestjs/graphql': '^13.0.0' }));
    const before = snapshot(once);
    const { runner: r2 } = runner();
    expect(snapshot(await r2.runSchematic('sresolver', { name: 'orders', fields: FIELDS }, once))).toEqual(before);
  });

  it('refuses a nested object field (no GraphQL scalar) and says @nestjs/graphql is missing', async () => {
    const nested = await initialised();
    const config = JSON.parse(nested.readText('bastion.json'));
    config.resources = { orders: { fields: [{ name: 'item', type: 'string' }, { name: 'address', type: 'object', fields: [{ name: 'street', type: 'string' }] }] } };
    nested.overwrite('bastion.json', JSON.stringify(config, null, 2));
    const { runner: r } = runner();
    await expect(r.runSchematic('sresolver', { name: 'orders' }, nested)).rejects.toThrow('field address: object fields have no GraphQL scalar');
    const { runner: r2, logs } = runner();
    await r2.runSchematic('sresolver', { name: 'orders' }, await initialised());
    expect(logs).toContain('warn: @nestjs/graphql is not in package.json: add it (npm install @nestjs/graphql)');
  });
});

describe('secure-ws-gateway (swsg)', () => {
  it('generates a socket.io gateway whose handler requires its scope and validates its message: exact files and contents', async () => {
    const tree = await initialised({}, { '@nestjs/websockets': '^12.0.0', '@nestjs/platform-socket.io': '^12.0.0' });
    const before = snapshot(tree);
    const { runner: r, logs } = runner();
    const after = snapshot(await r.runSchematic('swsg', { name: 'chat' }, tree));
    expect(changed(before, after)).toEqual([
      'src/app.module.ts',
      'src/chat/chat.gateway.ts',
      'src/chat/chat.module.ts',
      'src/chat/chat.scopes.ts',
      'src/chat/dto/chat-message.dto.ts',
    ]);
    for (const file of changed(before, after)) {
      await expect(after[file]).toMatchFileSnapshot(`./__snapshots__/swsg-chat/${file}.snap`);
    }
    expect(after['src/chat/chat.gateway.ts']).toContain("@WebSocketGateway({ namespace: 'chat' })");
    expect(after['src/chat/chat.gateway.ts']).toContain("@SubscribeMessage('chat.send')\n  @RequireScopes(CHAT_SCOPES.write)");
    expect(after['src/chat/dto/chat-message.dto.ts']).toContain('@MaxLength(500)');
    expect(logs).toContain('warn: src/main.ts does not wrap its WebSocket adapter: add app.useWebSocketAdapter(secureWebSocketAdapter(app, new IoAdapter(app))) after configureBastion(app), or the app stops at boot');
  });

  it('on ws: a path instead of a namespace; type-checks against @nestjs/websockets and @bastion/nest', async () => {
    const tree = await initialised({ esm: false, nestMajor: 11, runner: 'jest' }, { '@nestjs/websockets': '^11.0.0', '@nestjs/platform-ws': '^11.0.0' });
    const before = snapshot(tree);
    const { runner: r, logs } = runner();
    const after = snapshot(await r.runSchematic('swsg', { name: 'chat', fields: 'text:string:1-200,room?:string:1-50' }, tree));
    expect(after['src/chat/chat.gateway.ts']).toContain("@WebSocketGateway({ path: '/chat' })");
    expect(logs.some((l) => l.includes('new WsAdapter(app)'))).toBe(true);
    expect(typecheck(sources(after, changed(before, after).filter((p) => p.startsWith('src/chat/'))))).toEqual([]);
  });

  it('is idempotent and keeps a file the user changed', async () => {
    const { runner: r } = runner();
    const once = await r.runSchematic('swsg', { name: 'chat' }, await initialised({}, { '@nestjs/websockets': '^12.0.0', '@nestjs/platform-socket.io': '^12.0.0' }));
    const before = snapshot(once);
    const { runner: r2 } = runner();
    expect(snapshot(await r2.runSchematic('swsg', { name: 'chat' }, once))).toEqual(before);
    once.overwrite('src/chat/chat.gateway.ts', '// mine\n');
    const { runner: r3, logs } = runner();
    expect((await r3.runSchematic('swsg', { name: 'chat' }, once)).readText('src/chat/chat.gateway.ts')).toBe('// mine\n');
    expect(logs).toContain('warn: skipped src/chat/chat.gateway.ts: it exists and differs; your version is kept');
  });
});
