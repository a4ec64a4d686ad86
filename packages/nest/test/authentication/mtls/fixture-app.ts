import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { Authenticated, BastionModule, Boundary, CurrentPrincipal, Public, RequireScopes, type BastionOptions, type Principal } from '../../../src/index.js';

@Controller()
export class MtlsController {
  @Get('whoami')
  @Authenticated()
  whoami(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, clientId: p.clientId, credential: p.credential, scopes: [...p.scopes], tokenId: p.tokenId, claims: p.claims };
  }

  @Get('invoices')
  @RequireScopes('invoices:write')
  invoices() {
    return { invoices: [] };
  }

  @Get('internal')
  @Boundary('internal')
  @Authenticated()
  internal(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject };
  }

  @Get('health')
  @Public()
  health() {
    return { ok: true };
  }
}

export function mtlsModule(options: BastionOptions): new () => unknown {
  @Module({ imports: [BastionModule.forRoot({ boundaries: { internal: { accept: ['mtls'] } }, ...options }) as DynamicModule], controllers: [MtlsController] })
  class AppModule {}
  return AppModule;
}
