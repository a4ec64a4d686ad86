import type { RequestContext } from '../../core/request-context.js';
import type { BearerChallenge } from '../../errors/bastion.exception.js';
import { bearerChallenge } from '../../errors/problem-details.js';
import type { DpopConfig } from './dpop-config.js';
import { routeDpopMode } from './dpop-mode.js';
import { usesBearerScheme, usesDpopScheme } from './dpop-request.js';

/** The schemes a route offers: Bearer, and DPoP with its proof algorithms. */
export interface OfferedSchemes {
  bearer: boolean;
  /** `algs` of the DPoP challenge; undefined when DPoP is not offered. */
  dpopAlgs: string | undefined;
}

/** The schemes the request tried (several `Authorization` lines may try both). */
export interface UsedSchemes {
  bearer: boolean;
  dpop: boolean;
}

const DPOP_ONLY_ERRORS = new Set(['invalid_dpop_proof', 'use_dpop_nonce']);

function dpopChallenge(realm: string, challenge: BearerChallenge, algs: string): string {
  const params = [`realm="${realm.replace(/["\\]/g, '')}"`];
  if (challenge.error) params.push(`error="${challenge.error}"`);
  if (challenge.scope) params.push(`scope="${challenge.scope.replace(/["\\]/g, '')}"`);
  params.push(`algs="${algs}"`);
  return `DPoP ${params.join(', ')}`;
}

/**
 * The `WWW-Authenticate` value when DPoP is configured (RFC 9449 §7.1, §7.2): one challenge per scheme
 * the route offers (`Bearer realm="…", DPoP realm="…", algs="…"`), the error on the challenge of the
 * scheme the request used (on both when it used both; on the offered one when it used the other).
 * Without an error (no credential at all) no challenge carries one (RFC 6750 §3.1).
 */
export function renderChallenges(realm: string, challenge: BearerChallenge, offered: OfferedSchemes, used: UsedSchemes): string {
  const dpopOffered = offered.dpopAlgs !== undefined;
  const bearerOffered = offered.bearer || !dpopOffered;
  let onBearer = false;
  let onDpop = false;
  if (challenge.error) {
    if (DPOP_ONLY_ERRORS.has(challenge.error)) onDpop = true;
    else if (used.bearer && used.dpop) onBearer = onDpop = true;
    else if (used.dpop) onDpop = true;
    else onBearer = true;
    if (onDpop && !dpopOffered) [onBearer, onDpop] = [true, false];
    if (onBearer && !bearerOffered) [onBearer, onDpop] = [false, true];
  }
  const challenges: string[] = [];
  if (bearerOffered) challenges.push(bearerChallenge(realm, onBearer ? challenge : {}));
  if (dpopOffered) challenges.push(dpopChallenge(realm, onDpop ? challenge : {}, offered.dpopAlgs!));
  return challenges.join(', ');
}

/**
 * The `WWW-Authenticate` value of an error response: RFC 6750's Bearer challenge, plus the DPoP challenge
 * when `dpop` is configured and the request's route takes DPoP.
 */
export function authenticateHeader(config: { realm: string; dpop: DpopConfig | undefined }, ctx: RequestContext, challenge: BearerChallenge): string {
  const dpop = config.dpop;
  if (!dpop) return bearerChallenge(config.realm, challenge);
  const mode = routeDpopMode(ctx, dpop);
  const credential = ctx.principal?.credential;
  return renderChallenges(
    config.realm,
    challenge,
    { bearer: mode !== 'required', dpopAlgs: mode === 'disabled' ? undefined : dpop.algs },
    { bearer: usesBearerScheme(ctx) || (credential !== undefined && credential !== 'dpop'), dpop: usesDpopScheme(ctx) || credential === 'dpop' },
  );
}
