import { createTwoFilesPatch } from 'diff';
import type { FileChange, RetrofitReport } from '../report/types.js';

/** Unified diff of one file change (`a/` and `b/` prefixes, like git; `/dev/null` for new files). */
export function unifiedDiff(change: FileChange): string {
  return createTwoFilesPatch(
    change.created ? '/dev/null' : `a/${change.file}`,
    `b/${change.file}`,
    change.before,
    change.after,
    undefined,
    undefined,
    { context: 3 },
  ).replace(/^=+\n/, '');
}

/** Unified diff of every file a retrofit changed or created. */
export function formatDiff(report: RetrofitReport): string {
  return report.files.map(unifiedDiff).join('');
}
