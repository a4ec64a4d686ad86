import { Body, Param, type PipeTransform } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { bodyParamOf, validatedBody } from '../../src/authorization/validated-body.js';

class Dto {
  name!: string;
}
const upper: PipeTransform = { transform: (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v) };

class Ctrl {
  create(@Param('id') _id: string, @Body() _dto: Dto) {}
  field(@Body('name') _name: string) {}
  piped(@Body(upper) _dto: string) {}
  none() {}
}

describe('bodyParamOf', () => {
  it('finds the whole-body parameter and its declared type', () => {
    expect(bodyParamOf(Ctrl, 'create')).toEqual({ metatype: Dto, pipes: [] });
    expect(bodyParamOf(Ctrl, 'piped')?.pipes).toEqual([upper]);
  });

  it('ignores @Body("field") and handlers without a body', () => {
    expect(bodyParamOf(Ctrl, 'field')).toBeUndefined();
    expect(bodyParamOf(Ctrl, 'none')).toBeUndefined();
  });
});

describe('validatedBody', () => {
  it('runs global pipes then parameter pipes with body metadata', async () => {
    const seen: unknown[] = [];
    const spy: PipeTransform = { transform: (v: unknown, m) => (seen.push(m), `${String(v)}!`) };
    expect(await validatedBody('a', { metatype: Dto, pipes: [upper] }, [spy])).toBe('A!');
    expect(seen).toEqual([{ type: 'body', metatype: Dto, data: undefined }]);
    expect(await validatedBody({ x: 1 }, undefined, [])).toEqual({ x: 1 });
  });

  it('propagates a pipe rejection', async () => {
    const reject: PipeTransform = {
      transform: () => {
        throw new Error('invalid');
      },
    };
    await expect(validatedBody({}, undefined, [reject])).rejects.toThrow('invalid');
  });
});
