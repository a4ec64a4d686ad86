/**
 * The app measured by telemetry-overhead.ts (a child process, so the load generator does not share its
 * event loop): a `@Public()` route and a route behind bearer-JWT authentication, with Bastion's defaults
 * (throttling with a limit the load never reaches, brute-force blocking, revocation checks, memory store).
 * Usage: node --import @swc-node/register/esm-register telemetry-overhead-app.ts <express|fastify> <off|metrics|sdk-traced|traced>  (env BENCH_JWT)
 *   off:        no OpenTelemetry SDK (Bastion sets nothing up);
 *   metrics:    a MeterProvider with the Prometheus exporter (scraped never: recording cost only);
 *   sdk-traced: a tracer provider and a server span per request (as the HTTP instrumentation makes),
 *               Bastion's telemetry disabled — the baseline of `traced`;
 *   traced:     the same, with Bastion's metrics and per-step spans.
 */
import 'reflect-metadata';
import { Controller, Get, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Authenticated, BastionModule, Public, configureBastion, type BastionOptions, type JwtIssuerOptions } from '../packages/nest/src/index.js';

const adapter = process.argv[2] === 'express' ? 'express' : 'fastify';
const mode = process.argv[3] ?? 'off';
const jwt = JSON.parse(process.env.BENCH_JWT ?? '{}') as JwtIssuerOptions;

// Spans are batched and handed to an exporter that drops them: the cost of making them, not of shipping them.
const dropSpans: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
const traced = mode === 'traced' || mode === 'sdk-traced';
const tracerProvider = traced ? new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropSpans)] }) : undefined;
if (traced) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const meterProvider = mode === 'metrics' || mode === 'traced' ? new MeterProvider({ readers: [new PrometheusExporter({ preventServerStart: true })] }) : undefined;
const telemetry: BastionOptions['telemetry'] =
  mode === 'off' || mode === 'sdk-traced' ? { enabled: false } : { meterProvider, tracerProvider: tracerProvider ?? false };

@Controller()
class BenchController {
  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('protected')
  @Authenticated()
  secured() {
    return { ok: true };
  }
}

@Module({
  imports: [BastionModule.forRoot({ jwt, throttle: { principal: { limit: 1e9, ttl: 60_000 }, anonymous: { limit: 1e9, ttl: 60_000 } }, telemetry })],
  controllers: [BenchController],
})
class BenchModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    if (!tracerProvider) return;
    const tracer = tracerProvider.getTracer('http');
    // What @opentelemetry/instrumentation-http does: a server span, active for the rest of the request.
    consumer
      .apply((req: { method?: string }, res: { once(e: 'finish', f: () => void): void }, next: () => void) => {
        const span = tracer.startSpan(`${req.method} request`, { kind: 1 });
        res.once('finish', () => span.end());
        context.with(trace.setSpan(context.active(), span), next);
      })
      .forRoutes('*');
  }
}

const app = await NestFactory.create(BenchModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
configureBastion(app);
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as { port: number };
process.send?.({ port });
process.on('message', () => {
  const { user, system } = process.cpuUsage();
  process.send?.({ cpu: user + system });
});
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
