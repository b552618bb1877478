import { Agent } from 'node:http';
import { requestJson } from './http-load';
import { mapLimit } from './pool';
import type { ApiTarget } from './rest-mix';
import {
  EXPERIMENT_COUNT,
  expectedCount,
  GRANT_COUNTS,
  inFilter,
  searchPages,
  type FilteredCase,
  type FilteredSearch,
  type FilteredServer,
} from './filtered-search';

/** Requests in flight per server while seeding: enough to keep MLflow's two workers busy. */
const SEED_CONCURRENCY = 8;

/** Thrown when a way returns anything but exactly the granted set: the bench stops, nothing is timed. */
export class FilteredSearchMismatch extends Error {
  override name = 'FilteredSearchMismatch';
}

/** A fixed shuffle of 0…n-1 (Fisher–Yates on an LCG), so every server grants the same experiments by name. */
function shuffled(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = 0x5eed;
  for (let i = n - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

async function post<T>(agent: Agent, target: ApiTarget, path: string, body: unknown): Promise<T> {
  const answer = await requestJson(agent, {
    method: 'POST',
    url: `${target.base}/${path}`,
    headers: { ...target.headers, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
  });
  if (answer.status !== 200) throw new Error(`seeding: POST ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return answer.json as T;
}

/**
 * Seeds every server in parallel, at most SEED_CONCURRENCY requests in flight on each: the owner
 * creates the experiments (through the way, so on the auth apps the owner owns them), each reader
 * first proves it sees none of them, then the owner grants it READ on its k. The same experiments
 * (by name) are granted on every server; direct MLflow has no grants, its reader sends the IN
 * filter instead. Then verifies the case (verifyFilteredCase) before anything is timed.
 */
export async function prepareFilteredCase(servers: FilteredServer[], log: (line: string) => void): Promise<FilteredCase> {
  const order = shuffled(EXPERIMENT_COUNT);
  const agent = new Agent({ keepAlive: true, maxSockets: SEED_CONCURRENCY * servers.length });
  const started = performance.now();
  try {
    const seeded = await Promise.all(
      servers.map(async (server) => {
        const names = Array.from({ length: EXPERIMENT_COUNT }, (_, i) => `filtered-${String(i).padStart(4, '0')}`);
        const ids = await mapLimit(
          names,
          SEED_CONCURRENCY,
          async (name) => (await post<{ experiment_id: string }>(agent, server.owner, 'api/2.0/mlflow/experiments/create', { name })).experiment_id,
        );
        const searches = new Map<number, FilteredSearch>();
        for (const k of GRANT_COUNTS) {
          const expected = new Set(order.slice(0, k).map((i) => ids[i]));
          const reader = server.readers[k];
          searches.set(k, { target: reader.target, filter: reader.username ? undefined : inFilter(expected), expected });
          if (!reader.username) continue;
          const before = await searchPages(agent, { target: reader.target }, 'all');
          if (before.ids.length)
            throw new FilteredSearchMismatch(
              `${server.label}: ${reader.username} sees ${before.ids.length} experiments before any grant (default_permission must be NO_PERMISSIONS)`,
            );
        }
        const grants = GRANT_COUNTS.flatMap((k) => {
          const username = server.readers[k].username;
          return username ? order.slice(0, k).map((i) => ({ username, id: ids[i] })) : [];
        });
        await mapLimit(grants, SEED_CONCURRENCY, ({ username, id }) =>
          post(agent, server.owner, 'api/3.0/mlflow/users/permissions/grant', { username, resource_type: 'experiment', resource_id: id, permission: 'READ' }),
        );
        return [server.key, searches, grants.length] as const;
      }),
    );
    const grantCount = seeded.reduce((sum, [, , grants]) => sum + grants, 0);
    log(
      `filtered search: ${EXPERIMENT_COUNT} experiments on each of ${servers.length} servers and ${grantCount} grants in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const searches = new Map(seeded.map(([key, byK]) => [key, byK]));
    const data: FilteredCase = { searches, pages: await verifyFilteredCase(servers, searches, agent) };
    log(
      `filtered search verified: every way returns exactly the granted set for k = ${GRANT_COUNTS.join(', ')} (${GRANT_COUNTS.map((k) => `${data.pages.get(k)} page${data.pages.get(k) === 1 ? '' : 's'}`).join(', ')})`,
    );
    return data;
  } finally {
    agent.destroy();
  }
}

/**
 * Every way, every k: all pages together are exactly the granted ids (none missing, none extra,
 * no id twice), the first page holds min(k, 100) of them, and every way walks the same number of
 * pages. Collects every problem, then throws them all at once; resolves the pages per k.
 */
async function verifyFilteredCase(servers: FilteredServer[], searches: FilteredCase['searches'], agent: Agent): Promise<Map<number, number>> {
  const problems: string[] = [];
  const pages = new Map<number, number>();
  const sample = (ids: string[]) => (ids.length ? ` (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})` : '');
  for (const k of GRANT_COUNTS) {
    for (const server of servers) {
      const search = searches.get(server.key)!.get(k)!;
      const [all, first] = [await searchPages(agent, search, 'all'), await searchPages(agent, search, 'first')];
      const seen = new Set(all.ids);
      const missing = [...search.expected].filter((id) => !seen.has(id));
      const extra = [...seen].filter((id) => !search.expected.has(id));
      const where = `${server.label}, k=${k}`;
      if (missing.length || extra.length)
        problems.push(`${where}: ${missing.length} granted ids missing${sample(missing)}, ${extra.length} ids not granted returned${sample(extra)}`);
      if (seen.size !== all.ids.length) problems.push(`${where}: ${all.ids.length - seen.size} ids returned twice across pages`);
      if (first.ids.length !== expectedCount(k, 'first') || first.ids.some((id) => !search.expected.has(id)))
        problems.push(`${where}: the first page holds ${first.ids.length} ids, expected ${expectedCount(k, 'first')} granted ones`);
      if (!pages.has(k)) pages.set(k, all.pages);
      else if (pages.get(k) !== all.pages) problems.push(`${where}: ${all.pages} pages, another way walked ${pages.get(k)}`);
    }
  }
  if (problems.length) throw new FilteredSearchMismatch(`filtered search: the ways do not return exactly the granted set:\n  ${problems.join('\n  ')}`);
  return pages;
}
