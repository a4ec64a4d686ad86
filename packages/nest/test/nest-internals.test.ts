import * as common from '@nestjs/common';
import * as core from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { createRequire } from 'node:module';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { describe, expect, it } from 'vitest';
import { registeredPassportStrategy } from '../src/nest-internals.js';
import { describeNestInternals } from './support/nest-internals-suite.js';

const major = Number((createRequire(import.meta.url)('@nestjs/core/package.json') as { version: string }).version.split('.')[0]);
describeNestInternals({ major, common, core, express: { ExpressAdapter }, fastify: { FastifyAdapter }, throttler: { Throttle, SkipThrottle } });

describe('nest-internals: Passport', () => {
  it('finds a strategy registered with passport.use(name, strategy), and nothing for an unknown name', () => {
    const strategy = new LocalStrategy((_u, _p, done) => done(null, false));
    passport.use('internals-probe', strategy);
    try {
      expect(registeredPassportStrategy(passport, 'internals-probe')).toBe(strategy);
      expect(registeredPassportStrategy(passport, 'never-registered')).toBeUndefined();
      expect(registeredPassportStrategy({}, 'internals-probe')).toBeUndefined();
    } finally {
      passport.unuse('internals-probe');
    }
  });
});
