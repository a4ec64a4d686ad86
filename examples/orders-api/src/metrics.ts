import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** Bastion's metrics, served for Prometheus on a port of their own. */
export interface MetricsEndpoint {
  /** Pass to `BastionModule.forRoot({ telemetry: { meterProvider } })`. */
  meterProvider: MeterProvider;
  /** `http://<host>:<port>/metrics`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `/metrics` (Prometheus text format, from the OpenTelemetry Prometheus exporter) on its own
 * port, not as a route of the API: who can reach the API cannot read the metrics, scrapes do not count
 * against the API's rate limits, and the port is opened only to Prometheus (bind it to loopback or a
 * private interface; in Kubernetes, leave it out of the Service and Ingress or allow it to the Prometheus
 * namespace only with a NetworkPolicy). Default host `127.0.0.1`, port 9464 (the exporter's default).
 */
export async function startMetrics(options: { host?: string; port?: number } = {}): Promise<MetricsEndpoint> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') return exporter.getMetricsRequestHandler(req, res);
    res.writeHead(404).end();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 9464, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    meterProvider,
    url: `http://${host}:${port}/metrics`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await meterProvider.shutdown();
    },
  };
}
