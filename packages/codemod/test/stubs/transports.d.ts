// Minimal stubs of the GraphQL, WebSocket and microservice packages fixture apps use (not dependencies of this package).
declare module '@nestjs/graphql' {
  import type { ExecutionContext } from '@nestjs/common';
  type TypeFn = (of?: unknown) => unknown;
  type FieldOptions = { name?: string; nullable?: boolean | 'items' };
  export function Resolver(typeOrName?: TypeFn | string | (new (...args: any[]) => unknown)): ClassDecorator;
  export function Query(nameOrType?: string | TypeFn, options?: FieldOptions): MethodDecorator;
  export function Mutation(nameOrType?: string | TypeFn, options?: FieldOptions): MethodDecorator;
  export function Subscription(nameOrType?: string | TypeFn, options?: FieldOptions): MethodDecorator;
  export function ResolveField(nameOrType?: string | TypeFn, typeOrOptions?: TypeFn | FieldOptions, options?: FieldOptions): MethodDecorator;
  export function Args(name?: string, options?: object): ParameterDecorator;
  export function Parent(): ParameterDecorator;
  export function ObjectType(name?: string): ClassDecorator;
  export function Field(type?: TypeFn, options?: FieldOptions): PropertyDecorator;
  export const ID: unknown;
  export class GqlExecutionContext { static create(context: ExecutionContext): GqlExecutionContext; getContext<T = any>(): T }
}
declare module '@nestjs/websockets' {
  export function WebSocketGateway(portOrOptions?: number | { namespace?: string | RegExp; path?: string; cors?: unknown }, options?: { namespace?: string | RegExp; path?: string }): ClassDecorator;
  export function SubscribeMessage(message: string): MethodDecorator;
  export function MessageBody(property?: string): ParameterDecorator;
  export function ConnectedSocket(): ParameterDecorator;
  export class WsException extends Error { constructor(error: string | object) }
}
declare module '@nestjs/microservices' {
  export function MessagePattern(pattern: unknown): MethodDecorator;
  export function EventPattern(pattern: unknown): MethodDecorator;
  export function Payload(property?: string): ParameterDecorator;
  export enum Transport { TCP = 0, REDIS = 1 }
  export interface MicroserviceOptions { transport?: Transport; options?: object }
}
