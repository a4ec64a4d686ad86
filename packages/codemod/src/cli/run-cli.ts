import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { audit } from '../audit/audit.js';
import { runKeys } from '../commands/keys.js';
import { CodemodError } from '../errors.js';
import { formatAudit, type AuditFormat } from '../format/audit-format.js';
import { formatDiff } from '../format/diff.js';
import { formatRetrofit } from '../format/retrofit-format.js';
import { retrofit } from '../retrofit.js';
import type { AuditReport } from '../report/types.js';
import { progressBar } from './progress.js';

/** Where the CLI writes. `isTTY` turns the progress bar on. */
export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  isTTY?: boolean;
  cwd?: string;
}

const USAGE = `Usage: bastion <command> [options]

Commands:
  audit      Route table and findings for a NestJS project
             --project <tsconfig>   (default tsconfig.json)
             --format table|json|sarif|html|gitlab   (default table)
             --output <file>        write the report to a file instead of stdout
             --fail-on <rules>      comma list of rule ids, severities (error, warning) or "any":
                                    exit 1 when a finding matches
             --changed <git-ref>    only routes and findings changed since the ref (for pull requests)
  retrofit   Apply the transforms (policies, scopes, dtos, params)
             --project <tsconfig>   (default tsconfig.json)
             --dry-run              print a unified diff, write nothing
             --transforms <list>    comma list (default all)
             --include <glob>       repeatable; only files matching
             --exclude <glob>       repeatable; skip files matching
             --json                 print the report as JSON
             --lock-down            scope the routes the app leaves open (authentication entry points stay public)
  keys       Key management (see \`bastion keys --help\`)

Exit codes: 0 ok, 1 findings matched --fail-on or the codemod failed, 2 usage error.
`;

/** Runs the `bastion` CLI with `argv` (without node and script). Returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'audit': return await auditCommand(rest, io);
      case 'retrofit': return await retrofitCommand(rest, io);
      case 'keys': return await keysCommand(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`bastion: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof CodemodError) {
      io.stderr(`bastion: ${e.message} [${e.code}]\n`);
      return e.code === 'ERR_USAGE' || e.code === 'ERR_UNKNOWN_TRANSFORM' ? 2 : 1;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`bastion: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

async function keysCommand(rest: string[], io: CliIo): Promise<number> {
  return runKeys(rest, io);
}

const FORMATS: readonly AuditFormat[] = ['table', 'json', 'sarif', 'html', 'gitlab'];

async function auditCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      project: { type: 'string', short: 'p', default: 'tsconfig.json' },
      format: { type: 'string', short: 'f', default: 'table' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      changed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const format = values.format as AuditFormat;
  if (values.changed !== undefined && !values.changed.trim()) throw new CodemodError('ERR_USAGE', '--changed needs a git ref');
  if (!FORMATS.includes(format)) throw new CodemodError('ERR_USAGE', `--format must be one of ${FORMATS.join(', ')}`);
  const failOn = parseFailOn(values['fail-on']);
  const report = await audit({ project: values.project, cwd: io.cwd, changed: values.changed });
  const text = formatAudit(report, format);
  if (values.output) {
    writeFileSync(values.output, text);
    io.stderr(`bastion: ${format} report written to ${values.output}\n`);
  } else {
    io.stdout(text);
  }
  return failOn && matches(report, failOn) ? 1 : 0;
}

function parseFailOn(value: string | undefined): Set<string> | undefined {
  if (!value) return undefined;
  return new Set(value.split(',').map((s) => s.trim()).filter(Boolean));
}

function matches(report: AuditReport, failOn: Set<string>): boolean {
  return report.findings.some((f) => failOn.has('any') || failOn.has(f.rule) || failOn.has(f.severity) || (failOn.has('warning') && f.severity === 'error'));
}

async function retrofitCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      project: { type: 'string', short: 'p', default: 'tsconfig.json' },
      'dry-run': { type: 'boolean', default: false },
      transforms: { type: 'string', short: 't' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      'lock-down': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const bar = io.isTTY ? progressBar(io) : undefined;
  const report = await retrofit({
    project: values.project,
    cwd: io.cwd,
    dryRun: values['dry-run'],
    transforms: values.transforms ? [values.transforms] : undefined,
    include: values.include,
    exclude: values.exclude,
    onProgress: bar,
    lockDown: values['lock-down'],
  });
  if (bar) io.stderr('\r\x1b[K');
  if (values.json) {
    io.stdout(JSON.stringify(report, null, 2) + '\n');
    return 0;
  }
  if (report.dryRun) io.stdout(formatDiff(report));
  io.stdout(formatRetrofit(report));
  return 0;
}
