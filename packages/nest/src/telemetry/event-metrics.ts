import type { SecurityEvent } from '../audit/security-event.js';
import { HTTP_METHOD, HTTP_ROUTE, methodAttribute, nameAttribute, reasonAttribute } from './attributes.js';
import type { BastionMetric } from './metric-definitions.js';

/** One counter increment derived from a security event. */
export interface EventCount {
  readonly metric: BastionMetric;
  readonly attributes: Record<string, string>;
}

/** `http.route` (the route template, never the raw path) and the method, when the event has them. */
function routeAttributes(event: SecurityEvent): Record<string, string> {
  const attributes: Record<string, string> = { [HTTP_METHOD]: methodAttribute(event.method) };
  if (event.routeTemplate !== undefined) attributes[HTTP_ROUTE] = event.routeTemplate;
  return attributes;
}

/** The credential type of an event: the verified one, else the one that was presented, else `none`. */
function credentialOf(event: SecurityEvent): string {
  const presented = event.principal?.credential ?? event.claimed?.credential ?? event.details?.credential;
  return presented === undefined ? 'none' : nameAttribute(presented);
}

const REVOCATION_SCOPES: Record<string, string> = { REVOKED_TOKEN: 'token', REVOKED_SUBJECT: 'subject', REVOKED_CLIENT: 'client' };

/**
 * The counters a security event increments, with their attributes (none for events that are not
 * counted). Only the event's type, outcome, reason, route template, method and configured names (credential
 * type, boundary, rule) are read: never its subject, client id, IP or key id.
 */
export function countsOf(event: SecurityEvent): EventCount[] {
  const count = countOf(event);
  if (!count) return [];
  // A rejected credential that also spent the client's anonymous budget was answered 429: one event, two counts.
  const throttled = event.type === 'authentication.failed' ? event.details?.throttled : undefined;
  if (typeof throttled !== 'string') return [count];
  return [count, { metric: 'throttleRejections', attributes: { 'bastion.reason': reasonAttribute(throttled), 'bastion.throttle.tracker': 'ip', ...routeAttributes(event) } }];
}

function countOf(event: SecurityEvent): EventCount | undefined {
  switch (event.type) {
    case 'authentication.succeeded':
      return {
        metric: 'authenticationAttempts',
        attributes: { 'bastion.authentication.result': 'success', 'bastion.credential.type': credentialOf(event), ...routeAttributes(event) },
      };
    case 'authentication.failed':
      return {
        metric: 'authenticationAttempts',
        attributes: {
          'bastion.authentication.result': 'failure',
          'bastion.credential.type': credentialOf(event),
          'bastion.reason': reasonAttribute(event.reason),
          ...routeAttributes(event),
        },
      };
    case 'authorization.denied':
      return {
        metric: 'authorizationDenials',
        attributes: {
          'bastion.reason': reasonAttribute(event.reason),
          'bastion.credential.type': credentialOf(event),
          ...(event.details?.boundary !== undefined ? { 'bastion.boundary': nameAttribute(event.details.boundary) } : {}),
          ...routeAttributes(event),
        },
      };
    case 'request.throttled':
      return {
        metric: 'throttleRejections',
        attributes: { 'bastion.reason': reasonAttribute(event.reason), 'bastion.throttle.tracker': event.principal ? 'principal' : 'ip', ...routeAttributes(event) },
      };
    case 'client.blocked':
      return { metric: 'clientBlocks', attributes: {} };
    case 'alert.raised':
      return { metric: 'alerts', attributes: { 'bastion.alert.rule': nameAttribute(event.reason) } };
    case 'token.revoked':
      return { metric: 'revocations', attributes: { 'bastion.revocation.scope': REVOCATION_SCOPES[event.reason ?? ''] ?? 'token' } };
    default:
      return undefined;
  }
}
