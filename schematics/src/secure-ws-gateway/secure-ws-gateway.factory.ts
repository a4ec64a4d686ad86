import type { Rule, SchematicContext, Tree } from '@angular-devkit/schematics';
import { withEngine } from '../utils/engine';
import { prepareGeneration, scopePairs, writeGeneration, type GeneratingSchematic } from '../utils/generation';
import { hasDep } from '../utils/project';
import { render } from '../utils/render';
import type { SecureWsGatewayOptions } from './schema';

const SCHEMATIC: GeneratingSchematic = {
  name: 'secure-ws-gateway',
  alias: 'swsg',
  example: 'chat',
  defaultFields: 'text:string:1-500',
  actions: ['POST'],
  packages: ['@nestjs/websockets', 'class-validator', 'class-transformer', '@bastion/nest'],
};

/**
 * A WebSocket gateway whose message handler requires its scope and validates its message (the engine's
 * DTO rules): socket.io namespace `/<name>`, or path `/<name>` on `ws` (`@nestjs/platform-ws` without
 * socket.io). The handshake, origin, expiry and revocation are `secureWebSocketAdapter`'s in main.ts:
 * said when main.ts does not call it.
 */
export function main(options: SecureWsGatewayOptions): Rule {
  return (tree: Tree, context: SchematicContext) => {
    const g = prepareGeneration(tree, context, SCHEMATIC, options);
    const { names, config, dir, info } = g;
    const ws = hasDep(info.pkg, '@nestjs/platform-ws') && !hasDep(info.pkg, '@nestjs/platform-socket.io');
    if (!ws && !hasDep(info.pkg, '@nestjs/platform-socket.io')) {
      context.logger.warn(`@nestjs/platform-socket.io is not in package.json: add it (or @nestjs/platform-ws, then run this again for a ws gateway)`);
    }
    const main = tree.readText(`${info.sourceRoot}/main.ts`.replace(/^\/+/, ''));
    if (!main.includes('secureWebSocketAdapter')) {
      context.logger.warn(`${info.sourceRoot}/main.ts does not wrap its WebSocket adapter: add app.useWebSocketAdapter(secureWebSocketAdapter(app, new ${ws ? 'WsAdapter' : 'IoAdapter'}(app))) after configureBastion(app), or the app stops at boot`);
    }
    const js = info.esm ? '.js' : '';
    const scopes = scopePairs(g);
    const messageClass = `${names.singularClass}MessageDto`;
    const base = { ...names, js, scopeFormat: config.scopeFormat };
    const files = withEngine((e) => new Map([
      [`${dir}/${names.fileName}.scopes.ts`, render('secure-resource/scopes.ts', { ...base, scopes, requiredBy: 'gateway requires them per message' })],
      [`${dir}/${names.fileName}.module.ts`, render('secure-ws-gateway/module.ts', base)],
      [`${dir}/${names.fileName}.gateway.ts`, render('secure-ws-gateway/gateway.ts', {
        ...base,
        actions: config.actions,
        messageClass,
        scopeList: scopes.map(([, s]) => `\`${s}\``).join(', '),
        gatewayOptions: ws ? `{ path: '/${names.fileName}' }` : `{ namespace: '${names.fileName}' }`,
        where: ws ? `the \`ws\` path \`/${names.fileName}\`` : `the socket.io namespace \`/${names.fileName}\``,
        credentialHint: ws ? 'or the `bearer.<token>` subprotocol' : "or socket.io's `auth: { token }`",
      })],
      [`${dir}/dto/${names.singularFile}-message.dto.ts`, e.renderDtoFile(e.renderDto(messageClass, g.fields, { ...config, doc: `/** A \`${names.fileName}.send\` message. */` }))],
    ]));
    writeGeneration(tree, context, g, files, options.skipImport);
    return tree;
  };
}
