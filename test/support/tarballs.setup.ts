// Global setup of the `cross` project: builds what is stale and packs the three publishable packages once;
// every suite installs these same tarballs (read them with `tarballs()` from ./pack.js).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packAll } from '../../scripts/pack.mjs';

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-tarballs-'));
  project.provide('tarballs', packAll(dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
