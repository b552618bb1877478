import { describe, expect, it } from 'vitest';
import type { Permission } from '@/lib/auth/permission';
import { buildMatcher, ENDPOINT_ROWS, permissionFor, type EndpointRow, type PermissionMatcher } from '@/lib/mlflow/permissions';
import { loadMlflowRoutes, samplePath, type MlflowRoute } from '@/tests/support/mlflow-routes';

// Read once from the installed MLflow 3.18 (a few seconds of Python start-up).
const routes = loadMlflowRoutes().map((route) => ({ ...route, sample: samplePath(route.path) }));

const describeRoutes = (list: readonly MlflowRoute[]) => list.map((route) => `  ${route.method} ${route.path}`).join('\n');

function unclassified(match: PermissionMatcher): MlflowRoute[] {
  return routes.filter((route) => match(route.method, route.sample).endpoint === null).map(({ method, path }) => ({ method, path }));
}

describe('the endpoint table covers every route MLflow serves', () => {
  it('reads the real route list (Flask url_map and the FastAPI routers)', () => {
    expect(routes.length).toBeGreaterThan(400);
    const paths = new Set(routes.map((route) => route.path));
    for (const known of ['/api/2.0/mlflow/runs/create', '/v1/traces', '/ajax-api/3.0/jobs/', '/graphql', '/static-files/<path:path>']) {
      expect(paths).toContain(known);
    }
  });

  it('classifies every MLflow route with an explicit row', () => {
    const missing = unclassified(permissionFor);
    expect(
      missing,
      `MLflow serves routes the endpoint table does not classify; add rows to lib/mlflow/endpoint-table.ts:\n${describeRoutes(missing)}\n`,
    ).toEqual([]);
  });

  it('would fail if a row were missing', () => {
    const withoutRunCreate = ENDPOINT_ROWS.filter((row) => row.name !== 'runs/create');
    expect(unclassified(buildMatcher(withoutRunCreate))).toEqual([
      { method: 'POST', path: '/api/2.0/mlflow/runs/create' },
      { method: 'POST', path: '/ajax-api/2.0/mlflow/runs/create' },
    ]);
  });

  it('has no row that matches nothing MLflow serves (a wrong prefix or a typo)', () => {
    const stale: string[] = [];
    for (const row of ENDPOINT_ROWS) {
      for (const prefix of row.prefixes) {
        for (const method of row.methods) {
          const match = buildMatcher([{ ...row, prefixes: [prefix], methods: [method] }]);
          if (!routes.some((route) => match(route.method, route.sample).endpoint !== null)) stale.push(`${method} ${prefix}${row.pattern}`);
        }
      }
    }
    expect(stale).toEqual([]);
  });

  it('never lets two rows of different levels claim the same MLflow route', () => {
    const claims = new Map<string, Set<Permission>>();
    for (const row of ENDPOINT_ROWS) {
      const match = buildMatcher([row]);
      for (const route of routes) {
        if (match(route.method, route.sample).endpoint === null) continue;
        const key = `${route.method} ${route.path}`;
        claims.set(key, (claims.get(key) ?? new Set<Permission>()).add(row.permission));
      }
    }
    const contested = [...claims].filter(([, levels]) => levels.size > 1).map(([key, levels]) => `${key}: ${[...levels].join(' vs ')}`);
    expect(contested).toEqual([]);
  });

  it('gives rows that share a name the same level', () => {
    const byName = new Map<string, EndpointRow>();
    for (const row of ENDPOINT_ROWS) {
      const first = byName.get(row.name) ?? row;
      byName.set(row.name, first);
      expect(row.permission, row.name).toBe(first.permission);
    }
  });
});
