import { strings } from '@angular-devkit/core';

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

/** English singular for the usual plural endings; names that are not plurals are returned as is. */
export function singularize(word: string): string {
  if (/ies$/i.test(word) && word.length > 3) return word.slice(0, -3) + 'y';
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/(xes|ches|shes|sses|zes)$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word) && word.length > 1) return word.slice(0, -1);
  return word;
}

export function resourceNames(name: string): ResourceNames {
  const parts = name.replace(/\\/g, '/').split('/').filter(Boolean);
  const base = parts.pop() ?? name;
  const fileName = strings.dasherize(base);
  const singularFile = singularize(fileName);
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
