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
export {
  parseBastionConfig, parseBastionConfigJson, readBastionConfig, defaultConfig, scopeName, DEFAULT_CONFIG, CONFIG_FILE, CONFIG_SCHEMA_REF,
} from './project/bastion-config.js';
export type { ActionMap, BastionConfig, ConfigWarn, HttpAction, ResourceConfig, RetrofitConfig } from './project/bastion-config.js';
export { isGeneratedFile, moduleSystemOf, tsconfigModule } from './project/project-info.js';
export { parseGatewayConfig } from './project/gateway-config.js';
export type { GatewayConfig, GatewayUpstreamConfig, GatewayAuthConfig } from './project/gateway-config.js';
export type { ProjectInfo } from './project/project-info.js';
export { checkCompatibility, describeCompatibility, packageVersion, BASTION_NEST_REQUIRES, OLDEST_TYPESCRIPT } from './project/compatibility.js';
export type { Compatibility, PackageVersion } from './project/compatibility.js';
export { parseFieldList, normalizeFields, fieldsFromJsonSchema, jsDoc } from './dto/field-list.js';
export type { JsonSchemaObject } from './dto/field-list.js';
export { pascalCase, singularize } from './dto/field-spec.js';
export type { FieldSpec, FieldType, TypeRef } from './dto/field-spec.js';
export { renderDto, renderDtoFile, fieldType, importLines, DATE_MAX_LENGTH, EMAIL_MAX_LENGTH } from './dto/render-dto.js';
export type { DefaultedBound, DtoCode, DtoRenderOptions, DtoRules } from './dto/render-dto.js';
export { editSource } from './edit/source-edit.js';
export type { SourceEdit } from './edit/source-edit.js';
export type { TextEdit, TextEdits } from './edit/text-edits.js';
export type { ImportEditor } from './edit/import-editor.js';
export { addModuleImports } from './edit/module-imports.js';
export type { ModuleImport, ModuleImportsResult } from './edit/module-imports.js';
export { callsImported, insertAfterAppCreation } from './edit/bootstrap.js';
export type { AppFactory } from './edit/bootstrap.js';
export { relativeSpecifier } from './analysis/file-imports.js';
export { adoptAuthentication } from './adopt/adopt.js';
export type { AdoptOptions, AdoptionResult } from './adopt/adopt.js';
export type { LocalIssuerPlan } from './adopt/local-issuer.js';
export type { PassportWiring } from './adopt/passport-wiring.js';
export { CodemodError } from './errors.js';
export { runCli } from './cli/run-cli.js';
export type { CliIo } from './cli/run-cli.js';
export { TRANSFORMS } from './report/types.js';
export type {
  AccessChange, AuditReport, Change, DtoBound, FileChange, Finding, InputInfo, Location, Protection, ProtectionKind,
  RetrofitReport, RouteRow, RuleId, Severity, Skip, TransformName, TransformStatus,
  AppProtection, CredentialKind, EntryPoint, EntryPointKind, Mechanism, MechanismVerdict, PostureScore,
} from './report/types.js';
