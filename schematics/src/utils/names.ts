import { strings } from '@angular-devkit/core';
import { engine } from './engine';

/** Names derived from the `name` argument (`orders`, `admin/orders`, `OrderItems`). */
export interface ResourceNames {
  /** kebab-case plural, used for files, route and scopes: `order-items`. */
  readonly fileName: string;
  /** kebab-case singular: `order-item`. */
  readonly singularFile: string;
  /** `OrderItems`. */
  readonly className: string;
  /** `OrderItem`. */
  readonly singularClass: string;
  /** `orderItems`. */
  readonly propertyName: string;
  /** `ORDER_ITEMS`. */
  readonly constantName: string;
  /** Folder part of the name (`admin` for `admin/orders`), or ''. */
  readonly dir: string;
}

export function resourceNames(name: string): ResourceNames {
  const parts = name.replace(/\\/g, '/').split('/').filter(Boolean);
  const base = parts.pop() ?? name;
  const fileName = strings.dasherize(base);
  const singularFile = engine().singularize(fileName);
  return {
    fileName,
    singularFile,
    className: strings.classify(fileName),
    singularClass: strings.classify(singularFile),
    propertyName: strings.camelize(fileName),
    constantName: strings.underscore(fileName).toUpperCase(),
    dir: parts.map((p) => strings.dasherize(p)).join('/'),
  };
}
