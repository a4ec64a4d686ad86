// Minimal type stubs for fixture type-checking (the real packages are heavy and not deps of this package).
declare module '@nestjs/common' {
  type Deco = ClassDecorator & MethodDecorator & PropertyDecorator;
  export interface PipeTransform { transform(value: unknown, metadata?: unknown): unknown }
  export type PipeLike = PipeTransform | (new (...args: any[]) => PipeTransform);
  export function Controller(prefixOrOptions?: string | string[] | { path?: string | string[]; version?: string | symbol | Array<string | symbol>; host?: string | string[] }): ClassDecorator;
  export function Get(path?: string | string[]): MethodDecorator;
  export function Post(path?: string | string[]): MethodDecorator;
  export function Put(path?: string | string[]): MethodDecorator;
  export function Patch(path?: string | string[]): MethodDecorator;
  export function Delete(path?: string | string[]): MethodDecorator;
  export function Head(path?: string | string[]): MethodDecorator;
  export function All(path?: string | string[]): MethodDecorator;
  export function Version(version: string | symbol | Array<string | symbol>): MethodDecorator;
  export function Body(property?: string | PipeLike, ...pipes: PipeLike[]): ParameterDecorator;
  export function Query(property?: string | PipeLike, ...pipes: PipeLike[]): ParameterDecorator;
  export function Param(property?: string | PipeLike, ...pipes: PipeLike[]): ParameterDecorator;
  export function Req(): ParameterDecorator;
  export function Res(options?: { passthrough?: boolean }): ParameterDecorator;
  export function Headers(property?: string): ParameterDecorator;
  export function HttpCode(status: number): MethodDecorator;
  export function Redirect(url?: string, status?: number): MethodDecorator;
  export function Options(path?: string | string[]): MethodDecorator;
  export function Search(path?: string | string[]): MethodDecorator;
  export const VERSION_NEUTRAL: unique symbol;
  export enum RequestMethod { GET = 0, POST = 1, PUT = 2, DELETE = 3, PATCH = 4, ALL = 5, OPTIONS = 6, HEAD = 7, SEARCH = 8 }
  export interface RouteInfo { path: string; method: RequestMethod; version?: string | string[] }
  export type Type<T = unknown> = new (...args: any[]) => T;
  export interface MiddlewareConfigProxy {
    exclude(...routes: Array<string | RouteInfo>): MiddlewareConfigProxy;
    forRoutes(...routes: Array<string | Type | RouteInfo>): MiddlewareConsumer;
  }
  export interface MiddlewareConsumer { apply(...middleware: Array<Type | ((...args: any[]) => unknown)>): MiddlewareConfigProxy }
  export interface NestMiddleware<TReq = any, TRes = any> { use(req: TReq, res: TRes, next: (error?: unknown) => void): unknown }
  export interface NestModule { configure(consumer: MiddlewareConsumer): void }
  export interface ValidationPipeOptions { whitelist?: boolean; forbidNonWhitelisted?: boolean; forbidUnknownValues?: boolean; transform?: boolean }
  export class ValidationPipe implements PipeTransform { constructor(options?: ValidationPipeOptions); transform(value: unknown): unknown }
  export function UsePipes(...pipes: Array<PipeTransform | (new (...args: any[]) => PipeTransform)>): Deco;
  export function Request(): ParameterDecorator;
  export function UseGuards(...guards: Array<CanActivate | (new (...args: any[]) => CanActivate) | ((...args: any[]) => unknown)>): Deco;
  export function SetMetadata<K = string, V = unknown>(key: K, value: V): Deco & { KEY: K };
  export function applyDecorators(...decorators: Array<ClassDecorator | MethodDecorator | PropertyDecorator>): Deco;
  export function Injectable(): ClassDecorator;
  export function Module(meta: { imports?: unknown[]; controllers?: unknown[]; providers?: unknown[]; exports?: unknown[] }): ClassDecorator;
  export function createParamDecorator<T = unknown>(factory: (data: T, ctx: ExecutionContext) => unknown): (data?: T) => ParameterDecorator;
  export interface ExecutionContext { switchToHttp(): { getRequest<R = any>(): R }; getHandler(): (...args: any[]) => unknown; getClass(): Type }
  export interface CanActivate { canActivate(context: ExecutionContext): boolean | Promise<boolean> }
  export class HttpException extends Error { constructor(response: string | object, status: number) }
  export class ForbiddenException extends HttpException { constructor(message?: string) }
  export class UnauthorizedException extends HttpException { constructor(message?: string) }
  export class BadRequestException extends HttpException { constructor(message?: string) }
  export class NotFoundException extends HttpException { constructor(message?: string) }
  export enum HttpStatus { BAD_REQUEST = 400, UNAUTHORIZED = 401, FORBIDDEN = 403, NOT_FOUND = 404 }
  export class ParseIntPipe implements PipeTransform { transform(value: unknown): number }
  export class ParseUUIDPipe implements PipeTransform { constructor(options?: { version?: string }); transform(value: unknown): string }
  export enum VersioningType { URI = 0, HEADER = 1, MEDIA_TYPE = 2, CUSTOM = 3 }
}
declare module '@nestjs/core' {
  export const APP_GUARD = 'APP_GUARD';
  export const APP_PIPE = 'APP_PIPE';
  export class NestFactory { static create(module: unknown, options?: object): Promise<any> }
  export class Reflector {
    get<T = any>(key: unknown, target: object): T;
    getAllAndOverride<T = any>(key: unknown, targets: object[]): T;
    static createDecorator<T>(): ((value?: T) => ClassDecorator & MethodDecorator) & { KEY: string };
  }
  export interface RouteTree { path: string; module?: unknown; children?: Array<RouteTree | (new (...args: any[]) => unknown)> }
  export type Routes = RouteTree[];
  export class RouterModule { static register(routes: Routes): unknown }
}
