import { readFileSync } from 'node:fs';

/** The `api_keys` table (`schema.sql`), to run once at deployment (or in tests). */
export const SCHEMA_SQL = readFileSync(new URL('./schema.sql', import.meta.url), 'utf8');
