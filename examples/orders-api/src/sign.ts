import { asCurl, credentialsFromEnv, signedRequest } from './signed-request.js';

// node dist/sign.js [--curl] <METHOD> <URL> [JSON body]: sends (or prints as curl) a request signed as the worker.
const args = process.argv.slice(2);
const curl = args[0] === '--curl';
const [method, url, body] = curl ? args.slice(1) : args;
if (!method || !url) {
  process.stderr.write('usage: node dist/sign.js [--curl] <METHOD> <URL> [JSON body]\n');
  process.exit(2);
}
const request = await signedRequest(credentialsFromEnv(process.env), method.toUpperCase(), url, body);
if (curl) {
  process.stdout.write(`${await asCurl(request)}\n`);
} else {
  const res = await fetch(request);
  process.stdout.write(`${res.status} ${res.statusText}\n${await res.text()}\n`);
}
