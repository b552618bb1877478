import { GRANT_COUNTS, type FilteredServer } from './filtered-search';

/** The filtered-search case's basic-auth users: the owner, and one reader per k. */
export const FILTERED_BASIC_USERS = ['owner', ...GRANT_COUNTS.map((k) => `reader-${k}`)];

/**
 * Portal users of the filtered-search case: the owner is an editor (creating needs EDIT at the
 * portal); each k has its own reader, so every grant is made and checked before anything is
 * timed. The readers are READ at the portal (a role, or the default permission), enough to search.
 */
const PORTAL_OWNER = 'editor@example.com';
const PORTAL_READERS: Record<number, string> = { 10: 'reader@example.com', 100: 'norole@example.com', 500: 'tenant@example.com' };

/**
 * The case's three ways, each on its own server holding only the case's experiments: direct
 * MLflow (its reader sends the IN filter), MLflow's basic-auth app (Basic) and the portal in
 * mlflow mode in front of MLflow's auth app with the plugin (a session JWT per user); both auth
 * apps with default_permission = NO_PERMISSIONS, so a reader sees only what it was granted.
 */
export async function filteredServers(input: {
  plain: string;
  basic: { mlflow: { url: string }; headersOf(user: string): Record<string, string> };
  portal: string;
  sessionOf(loginId: string): Promise<Record<string, string>>;
}): Promise<FilteredServer[]> {
  const byK = <T>(value: (k: number) => T) => Object.fromEntries(GRANT_COUNTS.map((k) => [k, value(k)])) as Record<number, T>;
  const sessions = new Map(await Promise.all([PORTAL_OWNER, ...Object.values(PORTAL_READERS)].map(async (id) => [id, await input.sessionOf(id)] as const)));
  const plain = { base: input.plain, headers: {} };
  return [
    { key: 'direct', label: 'direct + IN filter', owner: plain, readers: byK(() => ({ target: plain })) },
    {
      key: 'basic',
      label: 'MLflow basic-auth',
      owner: { base: input.basic.mlflow.url, headers: input.basic.headersOf('owner') },
      readers: byK((k) => ({ target: { base: input.basic.mlflow.url, headers: input.basic.headersOf(`reader-${k}`) }, username: `reader-${k}` })),
    },
    {
      key: 'rbac',
      label: 'portal → MLflow RBAC',
      owner: { base: input.portal, headers: sessions.get(PORTAL_OWNER)! },
      readers: byK((k) => ({ target: { base: input.portal, headers: sessions.get(PORTAL_READERS[k])! }, username: PORTAL_READERS[k] })),
    },
  ];
}
