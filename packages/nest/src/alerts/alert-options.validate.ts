import { BastionConfigError, assertNonEmptyString, assertNonNegativeNumber, assertOneOf, assertOptionalBoolean, assertPositiveNumber, isPlainObject } from '../options/assert.js';
import { MIN_HMAC_SECRET_BYTES } from '../keys/hmac-key-ring.js';
import type { AlertOptions } from './alert-options.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Validates `alerts` at boot; refuses an unsigned, weakly signed or plaintext (non-loopback) webhook. */
export function validateAlertOptions(alerts: AlertOptions | undefined): void {
  if (alerts === undefined) return;
  if (!isPlainObject(alerts)) throw new BastionConfigError('alerts', 'must be an object');
  assertOptionalBoolean(alerts.enabled, 'alerts.enabled');
  assertPositiveNumber(alerts.cooldown, 'alerts.cooldown');
  if (alerts.onAlert !== undefined && typeof alerts.onAlert !== 'function') throw new BastionConfigError('alerts.onAlert', 'must be a function');
  if (alerts.rules !== undefined) {
    if (!Array.isArray(alerts.rules)) throw new BastionConfigError('alerts.rules', 'must be an array');
    alerts.rules.forEach((rule, i) => {
      const path = `alerts.rules[${i}]`;
      if (!isPlainObject(rule)) throw new BastionConfigError(path, 'must be an object');
      assertNonEmptyString(rule.name, `${path}.name`);
      if (!Array.isArray(rule.on) || rule.on.length === 0) throw new BastionConfigError(`${path}.on`, 'must be a non-empty array of event types');
      assertOneOf(rule.by, ['ip', 'subject', 'client', 'keyId'], `${path}.by`);
      assertNonNegativeNumber(rule.threshold, `${path}.threshold`);
      if (rule.threshold === undefined) throw new BastionConfigError(`${path}.threshold`, 'is required');
      assertPositiveNumber(rule.window, `${path}.window`, false);
    });
  }
  const hook = alerts.webhook;
  if (hook === undefined) return;
  if (!isPlainObject(hook)) throw new BastionConfigError('alerts.webhook', 'must be an object');
  assertNonEmptyString(hook.url, 'alerts.webhook.url');
  let url: URL;
  try {
    url = new URL(hook.url);
  } catch {
    throw new BastionConfigError('alerts.webhook.url', 'must be an absolute URL');
  }
  if (url.username || url.password) throw new BastionConfigError('alerts.webhook.url', 'must not contain credentials');
  const insecure = url.protocol === 'http:' && !LOOPBACK.has(url.hostname) && hook.allowInsecureHttp !== true;
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || insecure) {
    throw new BastionConfigError('alerts.webhook.url', 'must be https (http only on loopback or with allowInsecureHttp)');
  }
  const secrets = Array.isArray(hook.secret) ? hook.secret : [hook.secret];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || Buffer.byteLength(s) < MIN_HMAC_SECRET_BYTES)) {
    throw new BastionConfigError('alerts.webhook.secret', `must be one or more strings of at least ${MIN_HMAC_SECRET_BYTES} bytes (generate one with \`bastion keys hmac\`)`);
  }
  assertPositiveNumber(hook.timeout, 'alerts.webhook.timeout');
  assertNonNegativeNumber(hook.retries, 'alerts.webhook.retries');
  assertPositiveNumber(hook.backoff, 'alerts.webhook.backoff');
  assertPositiveNumber(hook.queueSize, 'alerts.webhook.queueSize');
  assertOptionalBoolean(hook.allowInsecureHttp, 'alerts.webhook.allowInsecureHttp');
}
