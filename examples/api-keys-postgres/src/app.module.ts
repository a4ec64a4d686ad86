import { Controller, Get, Module, Post, type DynamicModule } from '@nestjs/common';
import { ApiKeys, BastionModule, Boundary, CurrentPrincipal, RequireScopes, type Principal } from '@bastion/nest';
import { PostgresApiKeyStore, type Queryable } from './postgres-api-key.store.js';

@Controller('reports')
export class ReportsController {
  /** Partners call this with their API key. */
  @Get()
  @RequireScopes('reports:read')
  list(@CurrentPrincipal() principal: Principal) {
    return { owner: principal.subject, reports: [] };
  }

  /** Writes need the API key and a request signed with the key's signing key. */
  @Post('rebuild')
  @Boundary('signed')
  @RequireScopes('reports:write')
  rebuild(@CurrentPrincipal() principal: Principal) {
    return { owner: principal.subject, rebuilt: true };
  }
}

@Controller('keys')
export class KeysController {
  constructor(private readonly apiKeys: ApiKeys) {}

  /** Key management belongs behind your admin authentication; this example only lists the caller's own keys. */
  @Get('mine')
  @RequireScopes('reports:read')
  async mine(@CurrentPrincipal() principal: Principal) {
    return (await this.apiKeys.list(principal.subject)).map(({ id, name, expiresAt, revokedAt }) => ({ id, name, expiresAt, revokedAt: revokedAt ?? null }));
  }
}

@Module({})
export class AppModule {
  /** The API with its API keys in PostgreSQL (`db`: a `pg` Pool in production, PGlite in the tests). */
  static register(db: Queryable): DynamicModule {
    return {
      module: AppModule,
      imports: [
        BastionModule.forRoot({
          apiKey: { store: new PostgresApiKeyStore(db) },
          signature: { keySource: 'api-keys' },
          boundaries: { partners: { accept: ['api-key'] }, signed: { accept: [['api-key', 'signature']] } },
          defaultBoundary: 'partners',
        }),
      ],
      controllers: [ReportsController, KeysController],
    };
  }
}
