/**
 * A class-or-method decorator that prepends `value` to the array stored under `key` on its target.
 * Appending (rather than `SetMetadata`'s overwrite) lets the same decorator be stacked on one target
 * and keeps every occurrence visible to the boot checks; prepending keeps source order, since
 * decorators run bottom-up.
 */
export function appendMetadata(key: string, value: unknown): ClassDecorator & MethodDecorator {
  return ((target: object, _property?: string | symbol, descriptor?: PropertyDescriptor) => {
    // Same convention as Nest's SetMetadata: method metadata lives on the function itself.
    const holder = descriptor ? (descriptor.value as object) : target;
    const existing = (Reflect.getOwnMetadata(key, holder) as unknown[] | undefined) ?? [];
    Reflect.defineMetadata(key, [value, ...existing], holder);
    return descriptor;
  }) as ClassDecorator & MethodDecorator;
}
