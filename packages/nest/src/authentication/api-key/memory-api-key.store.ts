import type { ApiKeyRecord } from './api-key-record.js';
import type { ApiKeyStore } from './api-key-store.js';

/**
 * API keys in this process's memory: for one instance, tests, or keys seeded from configuration. Only the
 * application creates records (never a request), so nothing an attacker sends can push one out; expired
 * records are dropped when their owner's keys are listed.
 */
export class MemoryApiKeyStore implements ApiKeyStore {
  private readonly records = new Map<string, ApiKeyRecord>();

  constructor(seed: readonly ApiKeyRecord[] = []) {
    for (const record of seed) this.records.set(record.id, structuredClone(record));
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const record = this.records.get(id);
    return record && structuredClone(record);
  }

  async save(record: ApiKeyRecord): Promise<void> {
    this.records.set(record.id, structuredClone(record));
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    const record = this.records.get(id);
    if (!record) return false;
    record.revokedAt ??= at;
    return true;
  }

  async listByOwner(owner: string): Promise<ApiKeyRecord[]> {
    const now = Date.now();
    const out: ApiKeyRecord[] = [];
    for (const [id, record] of this.records) {
      if (record.expiresAt.getTime() <= now) this.records.delete(id);
      else if (record.owner === owner) out.push(structuredClone(record));
    }
    return out;
  }
}
