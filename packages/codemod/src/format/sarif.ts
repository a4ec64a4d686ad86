import type { AuditReport, RuleId, Severity } from '../report/types.js';

/** Rule metadata shown by code-scanning UIs. */
export const RULES: Readonly<Record<RuleId, { name: string; description: string; severity: Severity }>> = {
  'unprotected-route': { name: 'UnprotectedRoute', description: 'A route that no guard and no access decision protects: anyone can call it.', severity: 'error' },
  'missing-access-decision': { name: 'MissingAccessDecision', description: 'A route without @Public, @Authenticated or a requirement; Bastion denies it and strict mode refuses to boot.', severity: 'warning' },
  'baseline-public-route': { name: 'BaselinePublicRoute', description: 'A route kept public only by the baseline marker @Public({ baseline: true }).', severity: 'warning' },
  'unvalidated-body': { name: 'UnvalidatedBody', description: 'A @Body() parameter whose type gives ValidationPipe nothing to validate (any, interface, type literal, primitive).', severity: 'error' },
  'unvalidated-query': { name: 'UnvalidatedQuery', description: 'A @Query() parameter whose type gives ValidationPipe nothing to validate.', severity: 'error' },
  'unparsed-id': { name: 'UnparsedId', description: 'A route id converted or checked in the handler instead of by ParseIntPipe/ParseUUIDPipe.', severity: 'warning' },
  'inline-authz': { name: 'InlineAuthorization', description: 'A role/scope check written inside the handler instead of a declarative decorator.', severity: 'warning' },
  'type-only-dto-import': { name: 'TypeOnlyDtoImport', description: 'A DTO class imported with `import type`: its runtime metadata is erased and validation is silently off.', severity: 'error' },
  'unknown-protection': { name: 'UnknownProtection', description: 'A route whose guards or middleware could not be classified: it is not counted as protected.', severity: 'warning' },
  'validation-whitelist-off': { name: 'ValidationWhitelistOff', description: 'A ValidationPipe without whitelist: true: properties no DTO declares reach the handler (mass assignment).', severity: 'warning' },
  'validation-forbid-unknown-off': { name: 'ValidationForbidUnknownOff', description: 'A ValidationPipe with forbidUnknownValues off (Nest\'s default): values that are not instances of a validated class pass.', severity: 'warning' },
  'nested-without-validation': { name: 'NestedWithoutValidation', description: 'A DTO property holding an object or objects without @ValidateNested() and @Type(): nested values are not validated.', severity: 'warning' },
  'array-without-each': { name: 'ArrayWithoutEach', description: 'A DTO array property whose element rules lack { each: true }: its elements are not checked.', severity: 'warning' },
  'cors-credentials-any-origin': { name: 'CorsCredentialsAnyOrigin', description: 'CORS that admits every origin (origin: true, \'*\', a match-all pattern) with credentials: true.', severity: 'error' },
  'hardcoded-jwt-secret': { name: 'HardcodedJwtSecret', description: 'A JWT secret or key written in the source (JwtModule options, a passport strategy, sign/verify calls), or as a fallback.', severity: 'error' },
};

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', note: 'note' };

/** SARIF 2.1.0 log of an audit, with artifact URIs relative to `%SRCROOT%` (the working directory). */
export function auditSarif(report: AuditReport): Record<string, unknown> {
  const ruleIds = Object.keys(RULES) as RuleId[];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'bastion',
            semanticVersion: '0.1.0',
            rules: ruleIds.map((id) => ({
              id,
              name: RULES[id].name,
              shortDescription: { text: RULES[id].description },
              defaultConfiguration: { level: LEVEL[RULES[id].severity] },
            })),
          },
        },
        ...(report.score ? { properties: { postureScore: report.score.score, postureScoreParts: { access: report.score.access, validation: report.score.validation, configuration: report.score.configuration } } } : {}),
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${report.cwd.endsWith('/') ? report.cwd : `${report.cwd}/`}` } },
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
                region: { startLine: Math.max(1, f.line) },
              },
            },
          ],
        })),
      },
    ],
  };
}
