import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { wholeBodyArgument } from '../nest-internals.js';

/** Where the handler's whole-body `@Body()` parameter is, and its declared type. */
export interface BodyParam {
  metatype: ArgumentMetadata['metatype'];
  pipes: PipeTransform[];
}

/**
 * Finds the handler's `@Body()` parameter (the whole body, not `@Body('field')`), its type from
 * `design:paramtypes` and its parameter pipes. Undefined when the handler takes no whole body.
 */
export function bodyParamOf(controller: { prototype: object }, methodName: string): BodyParam | undefined {
  const arg = wholeBodyArgument(controller, methodName);
  if (!arg) return undefined;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, methodName) ?? []) as ArgumentMetadata['metatype'][];
  return { metatype: types[arg.index], pipes: arg.pipes };
}

/**
 * Runs the body through the global pipes then the parameter's own pipes, as Nest does for the
 * handler, so the policy sees the value the handler will receive (or the pipes' 400 is thrown).
 */
export async function validatedBody(raw: unknown, param: BodyParam | undefined, globalPipes: readonly PipeTransform[]): Promise<unknown> {
  const metadata: ArgumentMetadata = { type: 'body', metatype: param?.metatype, data: undefined };
  let value = raw;
  for (const pipe of [...globalPipes, ...(param?.pipes ?? [])]) value = await pipe.transform(value, metadata);
  return value;
}
