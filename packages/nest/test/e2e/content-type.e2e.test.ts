import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { hardeningModule } from '../transport/fixture-app.js';
import { rawProblemInvariants, rawRequest } from '../transport/raw-request.js';

describe.each(ADAPTERS)('content types and Accept (%s)', (adapter) => {
  let running: RunningApp;
  let forms: RunningApp;
  beforeAll(async () => {
    running = await startApp(hardeningModule(), adapter, configureBastion);
    forms = await startApp(hardeningModule({ contentTypes: ['application/json', 'application/x-www-form-urlencoded'] }), adapter, configureBastion);
  });
  afterAll(async () => {
    await running.close();
    await forms.close();
  });

  it.each([
    ['text/plain', '{"a":1}'],
    ['application/x-www-form-urlencoded', '__proto__[isAdmin]=true'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
    ['application/vnd.api+json', '{"a":1}'],
    ['application/xml', '<a/>'],
    ['garbage', '{"a":1}'],
  ])('refuses a %s body with 415 by default', async (type, body) => {
    const res = await rawRequest(`${running.url}/h/echo`, { headers: { 'content-type': type }, body });
    expect(res.status).toBe(415);
    expect(rawProblemInvariants(res)).toEqual([]);
    expect(JSON.parse(res.body).code).toBe('ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a body without Content-Type with 415', async () => {
    const res = await rawRequest(`${running.url}/h/echo`, { body: '{"a":1}' });
    expect(res.status).toBe(415);
    expect(rawProblemInvariants(res)).toEqual([]);
  });

  it('accepts application/json with a utf-8 charset', async () => {
    const res = await rawRequest(`${running.url}/h/echo`, { headers: { 'content-type': 'application/json; charset=UTF-8' }, body: '{"a":1}' });
    expect(res.status).toBe(201);
  });

  it('parses allowed forms with the query rules (prototype keys refused)', async () => {
    const ok = await rawRequest(`${forms.url}/h/echo`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2' });
    expect(ok.status).toBe(201);
    const bad = await rawRequest(`${forms.url}/h/echo`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '__proto__[isAdmin]=true' });
    expect(bad.status).toBe(400);
    expect(rawProblemInvariants(bad)).toEqual([]);
  });

  it.each(['text/html', 'application/xml', 'text/html, application/json;q=0', 'image/*'])('answers Accept: %s with 406', async (accept) => {
    const res = await fetch(`${running.url}/h/ok`, { headers: { accept } });
    const body = await res.text();
    expect(res.status).toBe(406);
    expect(JSON.parse(body).code).toBe('ERR_NOT_ACCEPTABLE');
  });

  it.each(['application/json', '*/*', 'application/*', 'text/html, application/json;q=0.5', 'application/problem+json'])('serves Accept: %s', async (accept) => {
    expect((await fetch(`${running.url}/h/ok`, { headers: { accept } })).status).toBe(200);
  });
});
