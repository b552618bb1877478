import { permits, type Permission } from '@/lib/auth/permission';
import { AUTH_APP_ROWS, ENDPOINT_ROWS, type EndpointRow } from '@/lib/mlflow/endpoint-table';

export { AUTH_APP_ROWS, ENDPOINT_ROWS, RUN_ENDPOINTS, EXPERIMENT_TAG_ENDPOINTS, type EndpointRow } from '@/lib/mlflow/endpoint-table';

export interface PermissionMatch {
  readonly permission: Permission;
  /** The matched row's name, or null when no row matched (the caller logs it). */
  readonly endpoint: string | null;
  readonly adminOnly?: true;
  readonly authApp?: EndpointRow['authApp'];
}

export type PermissionMatcher = (method: string, path: string) => PermissionMatch;

interface Parametrised {
  /** Text before the first placeholder: a cheap filter before the regex runs. */
  literal: string;
  regex: RegExp;
  result: PermissionMatch;
}

const UNMATCHED: PermissionMatch = Object.freeze({ permission: 'MANAGE', endpoint: null });
const PLACEHOLDER = /\{(\w+)(:path)?\}/g;
/** Parametrised patterns are grouped by their first four segments, e.g. `/api/2.0/mlflow/traces`. */
const BUCKET_SEGMENTS = 4;

/**
 * Compiles rows into the lookup that runs on every proxied request: a Map probe for literal
 * paths, then only the parametrised patterns that share the path's method and first segments.
 * When several parametrised rows match, the strictest wins, so an overlap can never grant less
 * than any route MLflow might dispatch the path to. Unmatched means MANAGE (fail closed).
 * Results are shared frozen objects: callers read them, never change them.
 */
export function buildMatcher(rows: readonly EndpointRow[]): PermissionMatcher {
  const exact = new Map<string, Map<string, PermissionMatch>>();
  const bucketed = new Map<string, Parametrised[]>();
  const shallow = new Map<string, Parametrised[]>();
  const push = (map: Map<string, Parametrised[]>, key: string, entry: Parametrised) => map.set(key, [...(map.get(key) ?? []), entry]);

  for (const row of rows) {
    const result: PermissionMatch = Object.freeze({
      permission: row.permission,
      endpoint: row.name,
      ...(row.adminOnly ? { adminOnly: true } : {}),
      ...(row.authApp ? { authApp: row.authApp } : {}),
    });
    for (const prefix of row.prefixes) {
      const full = prefix + row.pattern;
      const compiled = full.includes('{') ? compile(full, row.name, result) : null;
      for (const method of row.methods) {
        if (compiled) {
          const bucket = bucketOf(compiled.literal);
          if (bucket === null) push(shallow, method, compiled);
          else push(bucketed, `${method} ${bucket}`, compiled);
          continue;
        }
        const paths = exact.get(method) ?? new Map<string, PermissionMatch>();
        if (paths.has(full)) throw new Error(`endpoint table: ${method} ${full} is listed twice`);
        exact.set(method, paths.set(full, result));
      }
    }
  }

  return (method, path) => {
    const verb = method === 'HEAD' ? 'GET' : method;
    const literal = exact.get(verb)?.get(path);
    if (literal) return literal;
    const bucket = bucketOf(path);
    let best = strictest(UNMATCHED, shallow.get(verb), path);
    if (bucket !== null) best = strictest(best, bucketed.get(`${verb} ${bucket}`), path);
    return best;
  };
}

function strictest(best: PermissionMatch, candidates: readonly Parametrised[] | undefined, path: string): PermissionMatch {
  for (const candidate of candidates ?? []) {
    if (!path.startsWith(candidate.literal) || !candidate.regex.test(path)) continue;
    if (best.endpoint === null || !permits(best.permission, candidate.result.permission)) best = candidate.result;
  }
  return best;
}

/** The path up to its fifth `/`, or null when it has fewer complete segments than a bucket. */
function bucketOf(path: string): string | null {
  let at = -1;
  for (let i = 0; i <= BUCKET_SEGMENTS; i++) {
    at = path.indexOf('/', at + 1);
    if (at < 0) return null;
  }
  return path.slice(0, at);
}

function compile(full: string, name: string, result: PermissionMatch): Parametrised {
  let source = '';
  let last = 0;
  for (const match of full.matchAll(PLACEHOLDER)) {
    const at = match.index ?? 0;
    const isRest = match[2] !== undefined;
    if (isRest && at + match[0].length !== full.length) {
      throw new Error(`endpoint table: ${name}: {${match[1]}:path} must end the pattern`);
    }
    source += escapeRegex(full.slice(last, at)) + (isRest ? '.+' : '[^/]+');
    last = at + match[0].length;
  }
  source += escapeRegex(full.slice(last));
  return { literal: full.slice(0, full.indexOf('{')), regex: new RegExp(`^${source}$`), result };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const matchDefault = buildMatcher(ENDPOINT_ROWS);
const matchWithAuthApp = buildMatcher([...ENDPOINT_ROWS, ...AUTH_APP_ROWS]);

/** The lookup for a mode: with PORTAL_AUTHZ=mlflow, MLflow also serves its auth app's routes. */
export function permissionMatcher(authz: 'roles' | 'mlflow'): PermissionMatcher {
  return authz === 'mlflow' ? matchWithAuthApp : matchDefault;
}

/**
 * The permission an upstream MLflow call needs. `path` is the normalised upstream path (the
 * `/mlflow` prefix already stripped, no query string); MLflow routes are case-sensitive, and so
 * is this lookup.
 */
export function permissionFor(method: string, path: string): PermissionMatch {
  return matchDefault(method, path);
}
