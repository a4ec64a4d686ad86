/**
 * Route patterns as Nest matches them: path-to-regexp v8 syntax (`:id`, `*path`, `{optional}`), after Nest's
 * conversion of legacy wildcards (`users/*` → `users/{*path}`). Framework-free, no ts-morph.
 */

/** A compiled pattern; `literals` are its static segments (used to probe a route's parameters). */
export interface PathPattern {
  source: string;
  regex: RegExp;
  literals: string[];
}

/** How much of a route's traffic a pattern matches. */
export type Coverage = 'all' | 'some' | 'none';

/** Nest's `LegacyRouteConverter.tryConvert`: unnamed `*`, `(.*)` and `+` wildcards become named ones. */
export function legacyConvert(route: string): string {
  const withSlash = route.startsWith('/') ? route : `/${route}`;
  const normalized = route.endsWith('/') ? withSlash : `${withSlash}/`;
  if (normalized.endsWith('/(.*)/')) return route.replace('(.*)', '{*path}');
  if (normalized.endsWith('/*/')) return route.replace('*', '{*path}');
  if (normalized.endsWith('/+/')) return route.replace('/+', '/*path');
  if (normalized.includes('/*/')) return route.replaceAll(/\/\*(?=\/)/g, (_m, offset: number) => `/*path${offset}`);
  return route;
}

const NAME = /^(?:[$_\p{ID_Start}][$\u200c\u200d\p{ID_Continue}]*|"(?:[^"\\]|\\.)*")/u;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Compiles a pattern; undefined when path-to-regexp would reject it (Nest then fails to mount it). */
export function compilePattern(path: string, options: { end: boolean; sensitive: boolean }): PathPattern | undefined {
  const source = legacyConvert(path.startsWith('/') ? path : `/${path}`);
  const literals: string[] = [];
  let out = '';
  let depth = 0;
  let text = '';
  const flush = () => {
    if (!text) return;
    for (const seg of text.split('/')) if (seg) literals.push(seg);
    out += escapeRe(text);
    text = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      text += source[i + 1] ?? '';
      i++;
    } else if (c === '{') {
      flush();
      out += '(?:';
      depth++;
    } else if (c === '}') {
      if (depth === 0) return undefined;
      flush();
      out += ')?';
      depth--;
    } else if (c === ':' || c === '*') {
      const name = NAME.exec(source.slice(i + 1));
      if (!name) return undefined;
      flush();
      out += c === ':' ? '[^/]+?' : '[\\s\\S]+';
      i += name[0].length;
    } else if ('()[]?+!'.includes(c)) {
      return undefined;
    } else {
      text += c;
    }
  }
  if (depth !== 0) return undefined;
  flush();
  const tail = options.end ? '(?:/)?$' : '(?:/(?=[\\s\\S])|/?$)';
  try {
    return { source, regex: new RegExp(`^${out}${tail}`, options.sensitive ? 'u' : 'iu'), literals };
  } catch {
    return undefined;
  }
}

/** Stands for any value of a route parameter: matches `[^/]+` but no literal segment. */
const ANY = '\u0001';

/**
 * Request paths a declared route path serves: its parameters as a placeholder that no literal matches
 * (`all`), or as the given literals (`probes`, to find patterns that match only some of its requests).
 */
function samples(routePath: string, probes: string[]): { all: string[]; some: string[] } {
  const pattern = legacyConvert(routePath.startsWith('/') ? routePath : `/${routePath}`);
  const expand = (p: string, value: string): string[] => {
    const group = /\{([^{}]*)\}/.exec(p);
    if (group) return [...expand(p.replace(group[0], group[1]!), value), ...expand(p.replace(group[0], ''), value)];
    return [p.replace(/:(?:[$_\w]+|"[^"]*")/gu, value).replace(/\*(?:[$_\w]+|"[^"]*")/gu, `${value}/${value}`)];
  };
  return { all: expand(pattern, ANY), some: probes.flatMap((v) => expand(pattern, v)) };
}

/** Whether a pattern matches every request a route path serves, some of them, or none. */
export function coverage(pattern: PathPattern, routePath: string): Coverage {
  const { all, some } = samples(routePath, pattern.literals);
  const hits = all.filter((p) => pattern.regex.test(p || '/')).length;
  if (hits === all.length) return 'all';
  if (hits > 0 || some.some((p) => pattern.regex.test(p || '/'))) return 'some';
  return 'none';
}
