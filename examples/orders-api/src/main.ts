import { startDemo } from './demo.js';

const demo = await startDemo({
  adapter: process.env.ADAPTER === 'fastify' ? 'fastify' : 'express',
  port: Number(process.env.PORT ?? 3000),
  metricsPort: Number(process.env.METRICS_PORT ?? 9464),
});
const alice = await demo.issuer.sign({ sub: 'alice', scope: 'orders:read orders:write' }, { expiresIn: 3600 });
const reader = await demo.issuer.sign({ sub: 'bob', scope: 'orders:read' }, { expiresIn: 3600 });
const worker = await demo.issuer.sign({ sub: 'orders-worker', client_id: 'orders-worker', scope: 'orders:export' }, { expiresIn: 3600 });
const u = demo.url;

process.stdout.write(`
Orders API secured by Bastion on ${u}  (OpenAPI: ${u}/docs-json)
Development issuer: ${demo.issuer.issuer}  (JWKS ${demo.issuer.jwksUri})
Prometheus metrics: ${demo.metricsUrl}  (own port, loopback only)   Readiness: ${u}/health/ready

Tokens minted for you (valid 1 h) — paste these three lines into your shell first:
  ALICE=${alice}
  BOB=${reader}
  WORKER=${worker}

Try:
${[
  ['public route: 200', `curl -i ${u}/health`],
  ['no token: 401 with WWW-Authenticate', `curl -i ${u}/orders`],
  ["alice's orders: 200", `curl -i ${u}/orders -H "Authorization: Bearer $ALICE"`],
  ['bob lacks orders:write: 403 insufficient_scope', `curl -i ${u}/orders -H "Authorization: Bearer $BOB" -H 'Content-Type: application/json' -d '{"item":"tea","quantity":1}'`],
  ['invalid body: 400 with errors[], the value never echoed', `curl -i ${u}/orders -H "Authorization: Bearer $ALICE" -H 'Content-Type: application/json' -d '{"item":"tea","quantity":0}'`],
  ["bob reads alice's order: 404 (ownership policy)", `curl -i ${u}/orders/$(curl -s ${u}/orders -H "Authorization: Bearer $ALICE" | sed -E 's/.*"id":"([^"]+)".*/\\1/') -H "Authorization: Bearer $BOB"`],
  ['a user token on the internal boundary: 403', `curl -i ${u}/internal/orders/export -H "Authorization: Bearer $ALICE"`],
  ['the worker client on the internal boundary: 200', `curl -i ${u}/internal/orders/export -H "Authorization: Bearer $WORKER"`],
  ['a tampered token: 401 invalid_token', `curl -i ${u}/orders -H "Authorization: Bearer \${ALICE}x"`],
]
  .map(([what, cmd]) => `  # ${what}\n  ${cmd}\n`)
  .join('\n')}
Ctrl-C to stop.
`);

const stop = async () => {
  await demo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
