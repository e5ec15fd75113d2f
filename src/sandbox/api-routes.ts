/**
 * The emulated Actito routes. Profile routes are served both at Actito's original paths
 * (`/v4/...`) and at the category-prefixed ones (`/profiles/v4/...`) that replace them.
 */
import type { CallKind } from './fault-injector.js';

export type ApiRoute =
  | { name: 'token' }
  | { name: 'profiles'; prefix: string; entity: string; table: string }
  | { name: 'profile'; prefix: string; entity: string; table: string; ref: string }
  | { name: 'entities' }
  | { name: 'tables'; entity: string }
  | { name: 'table'; entity: string; tableRef: string };

export type RouteMatch =
  | { kind: 'found'; route: ApiRoute }
  | { kind: 'method-not-allowed'; allow: string }
  | { kind: 'not-found' }
  | { kind: 'bad-path' };

const METHODS: Record<ApiRoute['name'], readonly string[]> = {
  token: ['GET'],
  profiles: ['POST'],
  profile: ['GET', 'DELETE'],
  entities: ['GET'],
  tables: ['GET'],
  table: ['GET'],
};

/** Finds the route of a request; path segments are URL-decoded, names stay case-sensitive. */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const segments = decodeSegments(pathname);
  if (segments === undefined) return { kind: 'bad-path' };

  const route = routeOf(segments);
  if (route === undefined) return { kind: 'not-found' };

  const allowed = METHODS[route.name];
  if (!allowed.includes(method)) return { kind: 'method-not-allowed', allow: allowed.join(', ') };
  return { kind: 'found', route };
}

/** Which fault rules (`paths`) a route falls under. */
export function callKindOf(route: ApiRoute): CallKind {
  if (route.name === 'token') return 'token';
  if (route.name === 'profiles' || route.name === 'profile') return 'profile';
  return 'other';
}

function routeOf(s: string[]): ApiRoute | undefined {
  if (s.length === 2 && s[0] === 'auth' && s[1] === 'token') return { name: 'token' };
  if (s.length === 3 && s[0] === 'entities' && s[1] === 'v5' && s[2] === 'entities') {
    return { name: 'entities' };
  }

  if (s[0] === 'profile-table-structure' && s[1] === 'v5' && s[2] === 'entities') {
    const entity = s[3];
    if (entity === undefined || s[4] !== 'profile-tables') return undefined;
    if (s.length === 5) return { name: 'tables', entity };
    if (s.length === 6 && s[5] !== undefined) return { name: 'table', entity, tableRef: s[5] };
    return undefined;
  }

  const prefix = s[0] === 'profiles' ? '/profiles' : '';
  return profileRoute(prefix === '' ? s : s.slice(1), prefix);
}

/** `v4/entity/{entity}/table/{table}/profile[/{ref}]` */
function profileRoute(s: string[], prefix: string): ApiRoute | undefined {
  const [version, entityWord, entity, tableWord, table, profileWord, ref] = s;
  if (version !== 'v4' || entityWord !== 'entity' || tableWord !== 'table') return undefined;
  if (profileWord !== 'profile' || entity === undefined || table === undefined) return undefined;

  if (s.length === 6) return { name: 'profiles', prefix, entity, table };
  if (s.length === 7 && ref !== undefined) return { name: 'profile', prefix, entity, table, ref };
  return undefined;
}

/** Splits and decodes the path; empty segments (`//`, trailing `/`) make it match nothing. */
function decodeSegments(pathname: string): string[] | undefined {
  const raw = pathname.split('/').slice(1);

  try {
    const segments = raw.map((segment) => decodeURIComponent(segment));
    return segments.some((segment) => segment === '') ? [''] : segments;
  } catch {
    return undefined;
  }
}
