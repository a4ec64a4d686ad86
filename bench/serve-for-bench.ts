import type { INestApplication } from '@nestjs/common';

/**
 * Runs a benchmark app in its child process: listens on a free loopback port, reports it over IPC, then
 * answers each message with the process's CPU time so far (µs, user + system) — CPU per request is less
 * sensitive to a busy machine than req/s. Closes on SIGTERM.
 */
export async function serveForBench(app: INestApplication): Promise<void> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.send?.({ port });
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}
