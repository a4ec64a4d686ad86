/** What the load generator sends, per scenario. */
import type { Alg } from './tokens.js';
import { PATHS, VALID_BODY } from './items.js';

export type ScenarioName = 'public' | 'reused-rs256' | 'reused-es256' | 'fresh-rs256' | 'fresh-es256' | 'post';

export interface Scenario {
  name: ScenarioName;
  label: string;
  method: 'GET' | 'POST';
  path: string;
  /** Bearer token: one reused token, or a fresh one per request. */
  token?: { alg: Alg; fresh: boolean };
  body?: string;
  /** Status every response must have. */
  status: number;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'public', label: 'public GET', method: 'GET', path: PATHS.public, status: 200 },
  { name: 'reused-rs256', label: 'protected GET, reused RS256 token', method: 'GET', path: PATHS.protected, token: { alg: 'RS256', fresh: false }, status: 200 },
  { name: 'reused-es256', label: 'protected GET, reused ES256 token', method: 'GET', path: PATHS.protected, token: { alg: 'ES256', fresh: false }, status: 200 },
  { name: 'fresh-rs256', label: 'protected GET, fresh RS256 token each', method: 'GET', path: PATHS.protected, token: { alg: 'RS256', fresh: true }, status: 200 },
  { name: 'fresh-es256', label: 'protected GET, fresh ES256 token each', method: 'GET', path: PATHS.protected, token: { alg: 'ES256', fresh: true }, status: 200 },
  { name: 'post', label: 'POST valid DTO, reused RS256 token', method: 'POST', path: PATHS.create, token: { alg: 'RS256', fresh: false }, body: VALID_BODY, status: 201 },
];

export function scenario(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`unknown scenario ${name} (one of ${SCENARIOS.map((s) => s.name).join(', ')})`);
  return found;
}
