import { Module, type Provider, type Type } from '@nestjs/common';
import { BastionModule, SecurityEvents, type BastionOptions, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { startApp, type AdapterName, type RunningApp } from './app.js';

/** A running app whose `BastionModule` trusts a fresh `TestIssuer`, with every security event collected. */
export interface IssuerApp {
  issuer: TestIssuer;
  running: RunningApp;
  /** Every event since the start (or since a test emptied it with `events.length = 0`). */
  events: SecurityEvent[];
  close(): Promise<void>;
}

/** Starts a test issuer and an app with `controllers`, `providers` and the options built from the issuer. */
export async function startWithIssuer(adapter: AdapterName, options: (issuer: TestIssuer) => BastionOptions, controllers: Type<unknown>[], providers: Provider[] = []): Promise<IssuerApp> {
  const issuer = await TestIssuer.start();
  @Module({ imports: [BastionModule.forRoot(options(issuer))], controllers, providers })
  class AppModule {}
  const running = await startApp(AppModule, adapter);
  const events: SecurityEvent[] = [];
  running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  return {
    issuer,
    running,
    events,
    close: async () => {
      await running.close();
      await issuer.close();
    },
  };
}
