export { audit, auditWorkspace, routePaths } from './audit/audit.js';
export { postureScore } from './audit/score.js';
export { analyzeProtection } from './analysis/analyze-protection.js';
export type { ProtectionAnalysis, RouteProtection } from './analysis/analyze-protection.js';
export type { StrategyInfo } from './analysis/strategies.js';
export type { AuditOptions } from './audit/audit.js';
export { retrofit, retrofitWorkspace, parseTransforms } from './retrofit.js';
export type { RetrofitOptions } from './retrofit.js';
export { formatAudit } from './format/audit-format.js';
export type { AuditFormat } from './format/audit-format.js';
export { formatRetrofit } from './format/retrofit-format.js';
export { formatDiff, unifiedDiff } from './format/diff.js';
export { auditSarif, RULES } from './format/sarif.js';
export { auditHtml, escapeHtml } from './format/html.js';
export { auditGitlab } from './format/gitlab.js';
export type { CodeQualityIssue } from './format/gitlab.js';
export { openWorkspace, workspaceFromProject } from './project/workspace.js';
export type { Workspace, WorkspaceOptions } from './project/workspace.js';
export { parseBastionConfig, readBastionConfig, DEFAULT_CONFIG } from './project/bastion-config.js';
export type { BastionConfig } from './project/bastion-config.js';
export { isGeneratedFile, moduleSystemOf } from './project/project-info.js';
export type { ProjectInfo } from './project/project-info.js';
export { CodemodError } from './errors.js';
export { runCli } from './cli/run-cli.js';
export type { CliIo } from './cli/run-cli.js';
export { TRANSFORMS } from './report/types.js';
export type {
  AccessChange, AuditReport, Change, FileChange, Finding, InputInfo, Location, Protection, ProtectionKind,
  RetrofitReport, RouteRow, RuleId, Severity, Skip, TransformName, TransformStatus,
  AppProtection, CredentialKind, EntryPoint, EntryPointKind, Mechanism, MechanismVerdict, PostureScore,
} from './report/types.js';
