import { recordFromRow, type ApiKeyRecord, type ApiKeyStore } from '@bastion/nest';

/** Anything with `query(text, params)` resolving `{ rows }`: a `pg` Pool or Client, or PGlite. */
export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

const COLUMNS = 'id, hash, owner, client_id, scopes, roles, name, created_at, expires_at, revoked_at, allowed_addresses, signing_key';

/** A row of `api_keys` as an {@link ApiKeyRecord} (snake_case columns to the record's fields). */
function toRecord(row: Record<string, unknown>): ApiKeyRecord {
  return recordFromRow({
    id: String(row.id).trim(),
    hash: row.hash,
    owner: row.owner,
    clientId: row.client_id ?? undefined,
    scopes: row.scopes,
    roles: row.roles,
    name: row.name ?? undefined,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at ?? undefined,
    allowedAddresses: row.allowed_addresses ?? undefined,
    signingKey: typeof row.signing_key === 'string' ? JSON.parse(row.signing_key) : (row.signing_key ?? undefined),
  });
}

/**
 * Bastion's {@link ApiKeyStore} port on PostgreSQL (`schema.sql`). Every query is parameterised; a
 * database error rejects, and Bastion then refuses the request (fail closed).
 *
 * @example
 * ```ts
 * BastionModule.forRoot({ apiKey: { store: new PostgresApiKeyStore(new pg.Pool()) } });
 * ```
 */
export class PostgresApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: Queryable) {}

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.db.query(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async save(r: ApiKeyRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO api_keys (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET hash = $2, owner = $3, client_id = $4, scopes = $5, roles = $6, name = $7,
         created_at = $8, expires_at = $9, revoked_at = $10, allowed_addresses = $11, signing_key = $12`,
      [r.id, r.hash, r.owner, r.clientId ?? null, r.scopes, r.roles ?? [], r.name ?? null, r.createdAt, r.expiresAt, r.revokedAt ?? null, r.allowedAddresses ?? null, r.signingKey ? JSON.stringify(r.signingKey) : null],
    );
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    // The first revocation time stays: revoking twice must not move it later.
    const { rows } = await this.db.query('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING id', [id, at]);
    return rows.length > 0;
  }

  async listByOwner(owner: string): Promise<ApiKeyRecord[]> {
    const { rows } = await this.db.query(`SELECT ${COLUMNS} FROM api_keys WHERE owner = $1 AND expires_at > now() ORDER BY created_at`, [owner]);
    return rows.map(toRecord);
  }
}
