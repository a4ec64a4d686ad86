import type { TransformName } from '../report/types.js';

/** A one-line progress bar on stderr; only created when stderr is a TTY. */
export function progressBar(io: { stderr(s: string): void }): (done: number, total: number, label: TransformName) => void {
  let last = 0;
  return (done, total, label) => {
    const now = Date.now();
    if (done !== total && now - last < 100) return;
    last = now;
    const width = 24;
    const filled = Math.round((done / total) * width);
    io.stderr(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${label}`);
  };
}
