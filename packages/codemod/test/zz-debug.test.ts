import { it } from 'vitest';
import { retrofitWorkspace } from '../src/retrofit.js';
import { auditWorkspace } from '../src/audit/audit.js';
import { formatAudit } from '../src/format/audit-format.js';
import { formatRetrofit } from '../src/format/retrofit-format.js';
import { caseWorkspace, discoverCases } from './helpers/fixtures.js';

it('debug', () => {
  const c = discoverCases().find((x) => `${x.transform}/${x.name}` === process.env.CASE)!;
  console.log(formatAudit(auditWorkspace(caseWorkspace(c)), 'table'));
  const r = retrofitWorkspace(caseWorkspace(c), { transforms: c.options.transforms ?? [c.transform], dryRun: true, lockDown: c.options.lockDown });
  console.log(formatRetrofit(r));
});
