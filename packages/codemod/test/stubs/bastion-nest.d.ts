declare module '@bastion/nest' {
  type Deco = ClassDecorator & MethodDecorator;
  export interface Principal {
    subject: string;
    clientId?: string;
    scopes: ReadonlySet<string>;
    roles: ReadonlySet<string>;
    credential: 'jwt' | 'introspection' | 'api-key' | 'signature' | 'mtls' | (string & {});
    claims: Readonly<Record<string, unknown>>;
  }
  export interface Policy { evaluate(ctx: unknown): boolean | Promise<boolean> }
  export function Public(options?: { baseline?: boolean; ownCredential?: boolean }): Deco;
  export function Authenticated(): Deco;
  export function RequireScopes(...scopes: string[]): Deco;
  export function RequireAnyScope(...scopes: string[]): Deco;
  export function Roles(...roles: string[]): Deco;
  export function UsePolicy(...policies: Array<new (...args: any[]) => Policy>): Deco;
  export function Boundary(name: string): Deco;
  export function CurrentPrincipal(): ParameterDecorator;
  export interface BastionOptions {
    jwt?: {
      issuer: string;
      audience: string | string[];
      secret?: string;
      keys?: string;
      algorithms?: string[];
      claims?: { acceptNumericSubject?: boolean };
      legacy?: { acceptMissing: Array<'iss' | 'aud'>; until: string | Date };
    };
    tokens?: { maxLifetime?: number | false };
    authenticators?: Authenticator[];
  }
  export interface Authenticator { readonly credential: string; isPresented(ctx: unknown): boolean; authenticate(ctx: unknown): Promise<Principal> }
  export type PassportPresence = { header: string; scheme?: string } | { bodyFields: readonly string[] } | ((ctx: unknown) => boolean);
  export function passportAuthenticator(name: string, options?: {
    credential?: string;
    isPresented?: PassportPresence;
    toPrincipal?: (user: unknown, info: unknown, ctx: unknown) => Principal | undefined | Promise<Principal | undefined>;
  }): Authenticator;
  export function defaultPassportPrincipal(user: unknown, credential: string): Principal | undefined;
  export class BastionModule {
    static forRoot(options: BastionOptions): unknown;
    static forRootAsync(options: { imports?: unknown[]; inject?: unknown[]; useFactory: (...args: any[]) => BastionOptions }): unknown;
  }
  export function configureBastion(app: unknown): void;
}
