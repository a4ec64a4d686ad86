import 'reflect-metadata';
import { PGlite } from '@electric-sql/pglite';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiKeys, configureBastion, generateApiKey } from '@bastion/nest';
import { TestSigner } from '@bastion/nest/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { PostgresApiKeyStore } from '../src/postgres-api-key.store.js';
import { SCHEMA_SQL } from '../src/schema.js';

// Embedded PostgreSQL (PGlite, WebAssembly): the same SQL as production, no server to run.
const db = new PGlite();
beforeAll(async () => {
  await db.exec(SCHEMA_SQL);
});
afterAll(() => db.close());

describe('PostgresApiKeyStore', () => {
  it('stores only the hash, finds, lists, and keeps the first revocation time', async () => {
    const store = new PostgresApiKeyStore(db);
    const { id, hash, key } = generateApiKey();
    const record = { id, hash, owner: 'acme', scopes: ['reports:read'], createdAt: new Date('2026-01-01T00:00:00Z'), expiresAt: new Date(Date.now() + 3_600_000), allowedAddresses: ['10.0.0.0/8'] };
    await store.save(record);
    const { rows } = await db.query<{ hash: string }>('SELECT * FROM api_keys WHERE id = $1', [id]);
    expect(JSON.stringify(rows)).not.toContain(key.slice(21));
    expect(rows[0]!.hash).toBe(hash);
    expect(await store.find(id)).toEqual({ ...record, roles: [] });
    expect(await store.find('0000000000000000')).toBeUndefined();
    expect((await store.listByOwner('acme')).map((r) => r.id)).toEqual([id]);
    const first = new Date('2026-02-01T00:00:00Z');
    expect(await store.revoke(id, first)).toBe(true);
    expect(await store.revoke(id, new Date())).toBe(true);
    expect((await store.find(id))!.revokedAt).toEqual(first);
    expect(await store.revoke('0000000000000000', new Date())).toBe(false);
  });
});

describe.each(['express', 'fastify'] as const)('an API whose keys live in Postgres (%s)', (adapter) => {
  let app: INestApplication;
  let url: string;
  const signing = TestSigner.create();

  beforeAll(async () => {
    app = await NestFactory.create(AppModule.register(db), adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    configureBastion(app);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app?.close());

  it('authenticates a key issued into Postgres, and refuses it once revoked', async () => {
    const issued = await app.get(ApiKeys).issue({ owner: `partner-${adapter}`, scopes: ['reports:read'], name: 'nightly sync' });
    const res = await fetch(`${url}/reports`, { headers: { 'x-api-key': issued.key } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ owner: `partner-${adapter}`, reports: [] });
    const mine = await (await fetch(`${url}/keys/mine`, { headers: { authorization: `ApiKey ${issued.key}` } })).json();
    expect(mine).toEqual([{ id: issued.id, name: 'nightly sync', expiresAt: issued.record.expiresAt.toISOString(), revokedAt: null }]);
    await app.get(ApiKeys).revoke(issued.id);
    expect((await fetch(`${url}/reports`, { headers: { 'x-api-key': issued.key } })).status).toBe(401);
  });

  it('needs the key and a signature made with its registered signing key on the signed boundary', async () => {
    const issued = await app.get(ApiKeys).issue({ owner: `writer-${adapter}`, scopes: ['reports:write'], signingKey: signing.apiKeySigningKey() });
    expect((await fetch(`${url}/reports/rebuild`, { method: 'POST', headers: { 'x-api-key': issued.key } })).status).toBe(401);
    const signed = await signing.withKeyid(issued.id).request(`${url}/reports/rebuild`, { method: 'POST', headers: { 'x-api-key': issued.key } });
    const res = await fetch(signed);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ owner: `writer-${adapter}`, rebuilt: true });
  });
});
