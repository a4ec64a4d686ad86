import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { HmacKeyRing } from '../keys/hmac-key-ring.js';
import { WEBHOOK_SIGNATURE_HEADER, webhookSignatureHeader } from './webhook-signature.js';

/** Webhook delivery of alerts: POST JSON, signed with HMAC-SHA256 (see `docs/audit.md`). */
export interface WebhookOptions {
  /** Receiver URL; HTTPS (`http:` only on loopback or with `allowInsecureHttp`). */
  url: string;
  /** Signing secret(s), at least 32 bytes each; during rotation list the new one first, then the old. */
  secret: string | string[];
  /** Per-attempt timeout, in seconds. Default 5. */
  timeout?: number;
  /** Retries after the first attempt (network error, timeout, 408, 429, 5xx). Default 3. */
  retries?: number;
  /** First retry delay, in seconds; doubles each retry (±20 % jitter). Default 1. */
  backoff?: number;
  /** Most deliveries waiting; beyond it new alerts are dropped (and counted) rather than buffered. Default 1,000. */
  queueSize?: number;
  /** Allow `http:` to a non-loopback host. Default `false`. */
  allowInsecureHttp?: boolean;
}

interface Delivery {
  id: string;
  body: string;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Delivers payloads to one webhook from a bounded in-memory queue, one at a time, with retries and
 * exponential backoff. `enqueue` returns at once: a slow or hung receiver never delays a request.
 */
export class WebhookSender {
  private readonly queue: Delivery[] = [];
  private readonly ring: HmacKeyRing;
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  /** Deliveries dropped because the queue was full. */
  dropped = 0;
  /** Deliveries that failed after every retry. */
  failed = 0;
  /** Deliveries the receiver accepted (2xx). */
  delivered = 0;

  constructor(
    private readonly options: WebhookOptions,
    private readonly logger: LoggerService,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.ring = new HmacKeyRing(options.secret);
  }

  /** Queues `payload` for delivery; `false` when it was dropped (queue full or sender closed). */
  enqueue(payload: unknown): boolean {
    if (this.stopping.signal.aborted) return false;
    if (this.queue.length >= (this.options.queueSize ?? 1_000)) {
      if (this.dropped++ % 100 === 0) this.logger.warn(`alert webhook queue full: ${this.dropped} alert(s) dropped`);
      return false;
    }
    const id = randomUUID();
    this.queue.push({ id, body: JSON.stringify({ id, event: payload }) });
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return true;
  }

  /** Deliveries queued or in flight. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Stops delivering: aborts the attempt in flight and drops what is queued. */
  async close(): Promise<void> {
    this.stopping.abort();
    this.queue.length = 0;
    await this.running;
  }

  private async drain(): Promise<void> {
    // Let the request that raised the alert finish before any network work starts.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let next = this.queue.shift(); next && !this.stopping.signal.aborted; next = this.queue.shift()) {
      await this.deliver(next);
    }
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; attempt <= retries && !this.stopping.signal.aborted; attempt++) {
      if (attempt > 0) {
        const base = (this.options.backoff ?? 1) * 1000 * 2 ** (attempt - 1);
        await sleep(base * (0.8 + Math.random() * 0.4), this.stopping.signal);
      }
      const outcome = await this.attempt(delivery);
      if (outcome === 'ok') {
        this.delivered++;
        return;
      }
      if (outcome === 'fatal') break;
    }
    if (!this.stopping.signal.aborted) {
      this.failed++;
      this.logger.warn(`alert webhook delivery ${delivery.id} failed after ${retries + 1} attempt(s)`);
    }
  }

  private async attempt(delivery: Delivery): Promise<'ok' | 'retry' | 'fatal'> {
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout((this.options.timeout ?? 5) * 1000)]);
    try {
      const res = await this.fetchImpl(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'bastion-delivery': delivery.id,
          [WEBHOOK_SIGNATURE_HEADER]: webhookSignatureHeader(this.ring, delivery.body, Math.floor(Date.now() / 1000)),
        },
        body: delivery.body,
        redirect: 'error',
        signal,
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return 'ok';
      return res.status === 408 || res.status === 429 || res.status >= 500 ? 'retry' : 'fatal';
    } catch {
      return 'retry';
    }
  }
}
