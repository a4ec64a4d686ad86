import type { Node } from 'ts-morph';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD', 'SEARCH'];

/** `RequestMethod.GET` (or `GET` through an alias/namespace) → `'GET'`; undefined when not recognisable. */
export function requestMethodOf(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const name = node.getText().split('.').pop()?.toUpperCase();
  return name && METHODS.includes(name) ? name : undefined;
}

/** Whether middleware mounted for `mounted` runs for requests of a route declared with `route`. */
export function methodCovers(mounted: string, route: string): 'all' | 'some' | 'none' {
  if (mounted === 'ALL' || mounted === route) return 'all';
  // GET middleware also runs for HEAD; an @All() route is reached by every method, so one method covers part of it.
  if (mounted === 'GET' && route === 'HEAD') return 'all';
  if (route === 'ALL') return 'some';
  return 'none';
}
