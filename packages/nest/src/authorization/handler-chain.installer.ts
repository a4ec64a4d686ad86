import { Inject, Injectable, type CanActivate } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { wsExceptionFilter } from '../sockets/ws-exception.filter.js';
import { applyHandlerChain, applyHandlerFilter, handlerChain } from './handler-guards.js';
import { transportClasses } from './transport-classes.js';

/** Injection token (internal): Bastion's guard instances in the order they run globally. */
export const GUARD_CHAIN = Symbol('BASTION_GUARD_CHAIN');

/**
 * Gives every WebSocket gateway and every class with microservice message handlers Bastion's guards as
 * its first class-level guard (see `leftToHandlerChain`), and every gateway Bastion's exception filter. Done when the provider is created: Nest binds
 * message handlers, and reads their guards, before any lifecycle hook runs (gateways during `init()`,
 * a hybrid app's microservice in `connectMicroservice()`).
 */
@Injectable()
export class HandlerChainInstaller {
  constructor(discovery: DiscoveryService, scanner: MetadataScanner, @Inject(GUARD_CHAIN) guards: CanActivate[]) {
    const chain = handlerChain(guards);
    for (const { cls, handlers } of transportClasses(discovery, scanner)) {
      if (handlers.some((h) => h.transport === 'ws' || h.transport === 'rpc')) applyHandlerChain(cls, chain);
      if (handlers.some((h) => h.transport === 'ws')) applyHandlerFilter(cls, wsExceptionFilter);
    }
  }
}
