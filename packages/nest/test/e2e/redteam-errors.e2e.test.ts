import { BadRequestException, Controller, Get, HttpException, Module, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionModule, configureBastion, Public } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

/** What an HTTP client library throws when the upstream answered 401 (shape of an AxiosError). */
function upstreamError(status: number): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'AxiosError',
    code: 'ERR_BAD_REQUEST',
    status,
    response: { status, data: { error: 'upstream detail' } },
    config: { url: 'http://billing.internal:8080/v1/charge', headers: { Authorization: 'Bearer upstream-secret' } },
  });
}

@Controller('boom')
@Public()
class BoomController {
  @Get('upstream-401')
  upstream401(): never {
    throw upstreamError(401);
  }

  @Get('upstream-404')
  upstream404(): never {
    throw upstreamError(404);
  }

  @Get('driver')
  driver(): never {
    throw Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), { statusCode: 409, code: '23505' });
  }

  @Get('plain-object')
  plainObject(): never {
    throw { status: 403, message: 'internal rule 7 matched' } as unknown as Error;
  }

  @Get('nest-404')
  nest404(): never {
    throw new NotFoundException('order 42 of user alice not found');
  }

  @Get('nest-400')
  nest400(): never {
    throw new BadRequestException({ message: 'column "ssn" rejected', secret: 's3cr3t' });
  }

  @Get('nest-custom')
  nestCustom(): never {
    throw new HttpException('teapot details', 418);
  }

  @Get('nest-503')
  nest503(): never {
    // What @nestjs/terminus throws for a failed health check: the details of every indicator.
    throw new ServiceUnavailableException({ status: 'error', error: { db: { status: 'down', message: 'duplicate upstream secret' } } });
  }

  @Get('upstream-503')
  upstream503(): never {
    throw upstreamError(503);
  }
}

describe.each(ADAPTERS)('red team: errors thrown by handlers (%s)', (adapter) => {
  let running: RunningApp;
  beforeAll(async () => {
    @Module({ imports: [BastionModule.forRoot({ realm: 'api' })], controllers: [BoomController] })
    class AppModule {}
    running = await startApp(AppModule, adapter, (app) => configureBastion(app));
  });
  afterAll(async () => {
    await running?.close();
  });

  async function problem(path: string) {
    const res = await fetch(`${running.url}${path}`);
    const body = await res.text();
    expect(problemInvariants(res, body)).toEqual([]);
    expect(body).not.toMatch(/upstream|billing|secret|duplicate|users_email|ssn|rule 7|alice|teapot details/);
    return { res, doc: JSON.parse(body) as { status: number; code: string } };
  }

  it.each([['/boom/upstream-401'], ['/boom/upstream-404'], ['/boom/upstream-503'], ['/boom/driver'], ['/boom/plain-object']])(
    "%s: another system's status is not the caller's — 500, no challenge, nothing of the error",
    async (path) => {
      const { res, doc } = await problem(path);
      expect(res.status).toBe(500);
      expect(doc).toMatchObject({ status: 500, code: 'ERR_INTERNAL' });
      expect(res.headers.get('www-authenticate')).toBeNull();
    },
  );

  it("Nest's own exceptions keep their status, never their message", async () => {
    expect((await problem('/boom/nest-404')).doc).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
    expect((await problem('/boom/nest-400')).doc).toMatchObject({ status: 400, code: 'ERR_BAD_REQUEST' });
    expect((await problem('/boom/nest-custom')).res.status).toBe(418);
  });

  it("a Nest exception's deliberate 503 (a failed readiness check) stays 503, without its details", async () => {
    const { res, doc } = await problem('/boom/nest-503');
    expect(res.status).toBe(503);
    expect(doc).toMatchObject({ status: 503, code: 'ERR_SERVICE_UNAVAILABLE' });
    expect(Object.keys(doc).sort()).toEqual(['code', 'requestId', 'status', 'title', 'type']);
  });
});
