// Minimal stubs of the authentication packages fixture apps use (not dependencies of this package).
declare module '@nestjs/passport' {
  import type { CanActivate, ExecutionContext } from '@nestjs/common';
  export type IAuthGuard = CanActivate & { handleRequest<T = any>(err: unknown, user: T, info?: unknown, context?: ExecutionContext): T };
  export function AuthGuard(type?: string | string[]): new (...args: any[]) => IAuthGuard;
  export function PassportStrategy<T extends new (...args: any[]) => any>(strategy: T, name?: string): new (...args: any[]) => InstanceType<T>;
  export class PassportModule { static register(options: { defaultStrategy?: string | string[] }): unknown }
}
declare module '@nestjs/jwt' {
  export interface JwtSignOptions { secret?: string; privateKey?: string; expiresIn?: string | number; issuer?: string; audience?: string | string[]; algorithm?: string }
  export class JwtService {
    sign(payload: object, options?: JwtSignOptions): string;
    signAsync(payload: object, options?: JwtSignOptions): Promise<string>;
    verify<T extends object = any>(token: string, options?: { secret?: string }): T;
    verifyAsync<T extends object = any>(token: string, options?: { secret?: string }): Promise<T>;
    decode<T = any>(token: string): T;
  }
  export interface JwtModuleOptions { global?: boolean; secret?: string; privateKey?: string; publicKey?: string; signOptions?: Omit<JwtSignOptions, 'secret' | 'privateKey'> }
  export class JwtModule {
    static register(options: JwtModuleOptions): unknown;
    static registerAsync(options: { imports?: unknown[]; inject?: unknown[]; useFactory: (...args: any[]) => JwtModuleOptions | Promise<JwtModuleOptions> }): unknown;
  }
}
declare module '@nestjs/config' {
  export class ConfigService {
    get<T = any>(key: string, defaultValue?: T): T | undefined;
    getOrThrow<T = any>(key: string): T;
  }
  export class ConfigModule { static forRoot(options?: { isGlobal?: boolean }): unknown }
}
declare module '@nestjs/terminus' {
  export function HealthCheck(): MethodDecorator;
  export type HealthCheckResult = { status: string };
  export class HealthCheckService { check(indicators: Array<() => Promise<object>>): Promise<HealthCheckResult> }
}
declare module '@nestjs/throttler' {
  import type { CanActivate, ExecutionContext } from '@nestjs/common';
  export class ThrottlerGuard implements CanActivate { canActivate(context: ExecutionContext): Promise<boolean> }
  export function Throttle(options: object): MethodDecorator & ClassDecorator;
  export function SkipThrottle(): MethodDecorator & ClassDecorator;
}
declare module 'passport-jwt' {
  export class Strategy { constructor(options: object, verify?: (...args: any[]) => unknown) }
  export const ExtractJwt: {
    fromAuthHeaderAsBearerToken(): (req: unknown) => string | null;
    fromBodyField(field: string): (req: unknown) => string | null;
    fromExtractors(extractors: Array<(req: unknown) => string | null>): (req: unknown) => string | null;
  };
}
declare module 'passport-local' {
  export class Strategy { constructor(options?: object, verify?: (...args: any[]) => unknown) }
}
declare module 'passport-google-oauth20' {
  export class Strategy { constructor(options: object, verify?: (...args: any[]) => unknown) }
}
declare module 'passport-headerapikey' {
  export class HeaderAPIKeyStrategy { constructor(header: object, passReqToCallback: boolean, verify?: (...args: any[]) => unknown) }
}
declare module 'bcrypt' {
  export function compare(data: string, encrypted: string): Promise<boolean>;
}
declare module 'jsonwebtoken' {
  export function sign(payload: object, secret: string): string;
  export function verify(token: string, secret: string): any;
  export function decode(token: string): any;
}
declare module 'cors' {
  export default function cors(options?: { origin?: unknown; credentials?: boolean }): (...args: any[]) => void;
}
declare module '@acme/auth' {
  import type { CanActivate, ExecutionContext } from '@nestjs/common';
  export class AcmeGuard implements CanActivate { canActivate(context: ExecutionContext): boolean }
}
