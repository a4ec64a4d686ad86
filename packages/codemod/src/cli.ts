#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';

// No top-level await: the same source also compiles to the CommonJS build.
void runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: process.stderr.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
