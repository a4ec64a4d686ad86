// nest-internals.ts against NestJS 11 (aliased packages: nest11-common, nest11-core…), with the same
// checks the nest project runs against NestJS 12.
import * as common from 'nest11-common';
import * as core from 'nest11-core';
import { ExpressAdapter } from 'nest11-platform-express';
import { FastifyAdapter } from 'nest11-platform-fastify';
import { SkipThrottle, Throttle } from 'nest11-throttler';
import { createRequire } from 'node:module';
import { describeNestInternals } from '../../packages/nest/test/support/nest-internals-suite.js';

const major = Number((createRequire(import.meta.url)('nest11-core/package.json') as { version: string }).version.split('.')[0]);
describeNestInternals({ major, common, core, express: { ExpressAdapter }, fastify: { FastifyAdapter }, throttler: { Throttle, SkipThrottle } });
