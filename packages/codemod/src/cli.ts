#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: process.stderr.isTTY === true,
});
process.exitCode = code;
