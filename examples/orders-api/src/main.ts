import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from './demo.js';

const here = dirname(fileURLToPath(import.meta.url));

const demo = await startDemo({
  adapter: process.env.ADAPTER === 'fastify' ? 'fastify' : 'express',
  port: Number(process.env.PORT ?? 3000),
  metricsPort: Number(process.env.METRICS_PORT ?? 9464),
});
const alice = await demo.issuer.sign({ sub: 'alice', scope: 'orders:read orders:write' }, { expiresIn: 3600 });
const reader = await demo.issuer.sign({ sub: 'bob', scope: 'orders:read' }, { expiresIn: 3600 });
const u = demo.url;

process.stdout.write(`
Orders API secured by Bastion on ${u}  (OpenAPI: ${u}/docs-json)
Development issuer: ${demo.issuer.issuer}  (JWKS ${demo.issuer.jwksUri})
Prometheus metrics: ${demo.metricsUrl}  (own port, loopback only)   Readiness: ${u}/health/ready

Tokens minted for you (valid 1 h), and the back-office worker's API key and Ed25519 signing key
(valid 24 h) — paste these lines into your shell first:
  ALICE=${alice}
  BOB=${reader}
  export ORDERS_WORKER_API_KEY=${demo.worker.apiKey}
  export ORDERS_WORKER_KEY_ID=${demo.worker.keyId}
  export ORDERS_WORKER_SIGNING_KEY='${demo.worker.signingKey}'

Try:
${[
  ['public route: 200', `curl -i ${u}/health`],
  ['no token: 401 with WWW-Authenticate', `curl -i ${u}/orders`],
  ["alice's orders: 200", `curl -i ${u}/orders -H "Authorization: Bearer $ALICE"`],
  ['bob lacks orders:write: 403 insufficient_scope', `curl -i ${u}/orders -H "Authorization: Bearer $BOB" -H 'Content-Type: application/json' -d '{"item":"tea","quantity":1}'`],
  ['invalid body: 400 with errors[], the value never echoed', `curl -i ${u}/orders -H "Authorization: Bearer $ALICE" -H 'Content-Type: application/json' -d '{"item":"tea","quantity":0}'`],
  ["bob reads alice's order: 404 (ownership policy)", `curl -i ${u}/orders/$(curl -s ${u}/orders -H "Authorization: Bearer $ALICE" | sed -E 's/.*"id":"([^"]+)".*/\\1/') -H "Authorization: Bearer $BOB"`],
  ['a user token on the internal boundary: 403', `curl -i ${u}/internal/orders/export -H "Authorization: Bearer $ALICE"`],
  ['the worker\'s API key alone on the internal boundary: 401', `curl -i ${u}/internal/orders/export -H "X-Api-Key: $ORDERS_WORKER_API_KEY"`],
  ['the worker: API key + RFC 9421 signature (Content-Digest, created, nonce): 200', `node ${here}/sign.js GET ${u}/internal/orders/export`],
  ['the same as a one-shot curl (replaying it gives 401: the nonce is remembered)', `eval "$(node ${here}/sign.js --curl GET ${u}/internal/orders/export)"`],
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
