import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { transportHandlerOf, type TransportHandler } from './transport-handlers.js';

type Named = { readonly name: string };

/** One class of the app with the GraphQL, WebSocket and microservice handlers it declares. */
export interface TransportClass {
  readonly cls: Named;
  readonly handlers: readonly TransportHandler[];
}

/** Every controller and provider class that declares a resolver field, a gateway handler or a message handler. */
export function transportClasses(discovery: DiscoveryService, scanner: MetadataScanner): TransportClass[] {
  const seen = new Set<object>();
  const out: TransportClass[] = [];
  for (const wrapper of [...discovery.getControllers(), ...discovery.getProviders()]) {
    const cls = wrapper.metatype as (Named & { prototype?: Record<string, unknown> }) | undefined;
    const prototype = cls?.prototype;
    if (!cls || seen.has(cls) || typeof prototype !== 'object' || prototype === null) continue;
    seen.add(cls);
    const handlers: TransportHandler[] = [];
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[methodName];
      const found = typeof handler === 'function' ? transportHandlerOf(cls, handler as Named, methodName) : undefined;
      if (found) handlers.push(found);
    }
    if (handlers.length > 0) out.push({ cls, handlers });
  }
  return out;
}
