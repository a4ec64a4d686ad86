import { Injectable } from '@nestjs/common';
import { describe, expect, it } from 'vitest';

@Injectable()
class Dependency {}

@Injectable()
class Consumer {
  constructor(readonly dependency: Dependency) {}
}

describe('test toolchain', () => {
  it('emits decorator metadata (Nest DI depends on it; fails if the SWC plugin is removed)', () => {
    expect(Reflect.getMetadata('design:paramtypes', Consumer)).toEqual([Dependency]);
  });
});
