// Runs every benchmark in turn (`pnpm bench`); each writes its own <name>.results.md beside it.
// SWC's loader emits the decorator metadata the Nest apps under test need.
import { execFileSync } from 'node:child_process';

const benches = [
  ['peer.ts'],
  ['auth-overhead.ts'],
  ['public-route.ts'],
  ['gateway.ts'],
  ['jwt-verify.ts'],
  ['sender-constraint.ts'],
  ['memory-store.ts', '1000000', '100000', 'both'],
  ['codemod.ts', '100', '1000'],
  ['redaction.ts'],
  ['security-state.ts'],
  ['redis-cluster.ts', '5', '3', '64'],
  ['signatures.ts', '10000', '5'],
  ['token-path.ts'],
];
for (const [file, ...args] of benches) {
  console.log(`\n== ${file} ${args.join(' ')}`);
  execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8000', '--import', '@swc-node/register/esm-register', file, ...args], {
    cwd: import.meta.dirname,
    stdio: 'inherit',
  });
}
