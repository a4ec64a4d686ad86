/**
 * Reads a `.cpuprofile` (from `node --cpu-prof`) and prints where the time went, per request: self
 * time by category (Bastion / Nest / rxjs / adapter / libraries / Node / GC), the top functions,
 * Bastion's hot spots (each sample charged to the nearest Bastion frame, `dist/` mapped back to `src/`
 * file:line) and Bastion's layers; with `--baseline`, the functions whose self time grew most.
 *
 *   cd bench && node --import @swc-node/register/esm-register cpuprofile-summary.ts profiles/bastion-fastify-public.cpuprofile \
 *     [--baseline profiles/bare-fastify-public.cpuprofile] [--top 25]
 *
 * A `<name>.window.json` beside a profile (written by peer-profile.ts: the measured window on the
 * profile's clock, the requests served in it, the adapter) restricts the sums to that window and
 * divides by its requests; without one, the whole profile counts as one request.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { analyse, type Analysis, type CpuProfile, type ProfileWindow } from './cpuprofile/analyse.js';
import { categoryTable, diffTable, entryTable, functionTable, hotSpotTable, section } from './cpuprofile/render.js';

export interface WindowFile extends ProfileWindow {
  adapter?: string;
}

/** Analyses `path`, within its `.window.json` when there is one. */
export function analyseFile(path: string): Analysis {
  const windowPath = path.replace(/\.cpuprofile$/, '.window.json');
  const window = existsSync(windowPath) ? (JSON.parse(readFileSync(windowPath, 'utf8')) as WindowFile) : undefined;
  return analyse(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, window, window?.adapter);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { baseline: { type: 'string' }, top: { type: 'string' } } });
  const [file] = positionals;
  if (!file) throw new Error('usage: cpuprofile-summary.ts <file.cpuprofile> [--baseline other.cpuprofile] [--top N]');
  const top = Number(values.top ?? 25);
  const a = analyseFile(file);
  const base = values.baseline ? analyseFile(values.baseline) : undefined;
  const lines = [
    ...section(1, file, categoryTable(base ? [{ name: file, a }, { name: values.baseline!, a: base }] : [{ name: file, a }])),
    ...section(2, 'Top functions (self time)', functionTable(a, top)),
    ...section(2, 'Bastion hot spots (nearest Bastion frame; library calls it makes included)', hotSpotTable(a, top)),
    ...section(2, 'Bastion layers (outermost Bastion frame)', entryTable(a)),
    ...(base ? section(2, `Grew most against ${values.baseline} (self time)`, diffTable(a, base, top)) : []),
  ];
  console.log(lines.join('\n'));
}
