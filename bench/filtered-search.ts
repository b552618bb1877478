import type { Agent } from 'node:http';
import { mergeResults, requestJson, runOps, type LoadResult } from './http-load';
import type { ApiTarget } from './rest-mix';

/** The case: this many experiments owned by one user; each reader is granted READ on k of them. */
export const EXPERIMENT_COUNT = 1000;
export const GRANT_COUNTS = [10, 100, 500] as const;
export const PAGE_SIZE = 100;

export type FilteredKey = 'direct' | 'basic' | 'rbac';
export type PageMode = 'first' | 'all';
export const PAGE_MODES: readonly PageMode[] = ['first', 'all'];

/** One server of the case, as its owner and its readers reach it. */
export interface FilteredServer {
  key: FilteredKey;
  label: string;
  /** Creates the experiments and grants READ on them. */
  owner: ApiTarget;
  /**
   * The reader granted k experiments, by k: where it searches and, on the auth apps, the MLflow
   * user name the grants name. Absent username: no auth app, so the reader sends the IN filter.
   */
  readers: Record<number, { target: ApiTarget; username?: string }>;
}

/** What one reader searches for and must get back. */
export interface FilteredSearch {
  target: ApiTarget;
  /** The `filter` the reader sends itself (direct only: the same IN list the auth app composes). */
  filter?: string;
  expected: ReadonlySet<string>;
}

/** The verified case: each way's searches by k, and how many pages a reader granted k walks. */
export interface FilteredCase {
  searches: Map<FilteredKey, Map<number, FilteredSearch>>;
  pages: Map<number, number>;
}

/** Both page modes where the granted set spans several pages; one where the first page is all of it. */
export const modesFor = (data: FilteredCase, k: number): readonly PageMode[] => ((data.pages.get(k) ?? 1) > 1 ? PAGE_MODES : ['first']);

export interface FilteredPlan {
  connections: number;
  warmupSeconds: number;
  seconds: number;
  rounds: number;
}

/** `experiment_id IN ('…', …)`, spelt as MLflow's auth app spells the scope it adds (sorted, quoted). */
export const inFilter = (ids: Iterable<string>) =>
  `experiment_id IN (${[...ids]
    .sort()
    .map((id) => `'${id}'`)
    .join(', ')})`;

/**
 * `experiments/search` with max_results 100: the first page, or every page by following
 * next_page_token. Rejects on any answer but 200 with MLflow's JSON.
 */
export async function searchPages(agent: Agent, search: Pick<FilteredSearch, 'target' | 'filter'>, mode: PageMode): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  for (let pages = 1; ; pages += 1) {
    const body = { max_results: PAGE_SIZE, ...(search.filter ? { filter: search.filter } : {}), ...(pageToken ? { page_token: pageToken } : {}) };
    const answer = await requestJson(agent, {
      method: 'POST',
      url: `${search.target.base}/api/2.0/mlflow/experiments/search`,
      headers: { ...search.target.headers, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(body)),
    });
    const json = answer.json as { experiments?: { experiment_id: string }[]; next_page_token?: string } | undefined;
    if (answer.status !== 200 || !json) throw new Error(`experiments/search → ${answer.status} ${answer.text.slice(0, 160)}`);
    ids.push(...(json.experiments ?? []).map((e) => e.experiment_id));
    pageToken = json.next_page_token || undefined;
    if (mode === 'first' || !pageToken) return { ids, pages };
  }
}

/** How many ids a search of `mode` must return for a reader granted `k`. */
export const expectedCount = (k: number, mode: PageMode) => (mode === 'first' ? Math.min(k, PAGE_SIZE) : k);

/** Rotates the order each round, so no way always runs first. */
const rotated = <T>(items: readonly T[], round: number) => items.map((_, i) => items[(i + round) % items.length]);

export const cellKey = (key: FilteredKey, k: number, mode: PageMode) => `${key} ${k} ${mode}`;

/**
 * Times the case after it was verified: per round, for every k and page mode (one mode when the
 * granted set fits on the first page), each way flat out
 * for `seconds` over `connections` connections, in a rotated order. A timed search that returns
 * another count than the granted one counts as an error, never as a sample.
 */
export async function measureFilteredSearch(
  servers: FilteredServer[],
  data: FilteredCase,
  plan: FilteredPlan,
  log: (line: string) => void,
): Promise<Map<string, LoadResult>> {
  const run = (server: FilteredServer, k: number, mode: PageMode, seconds: number) => {
    const search = data.searches.get(server.key)!.get(k)!;
    return runOps({
      connections: plan.connections,
      seconds,
      op: async (agent) => {
        const { ids } = await searchPages(agent, search, mode);
        return ids.length === expectedCount(k, mode) ? undefined : `${server.label} k=${k} ${mode}: ${ids.length} ids, expected ${expectedCount(k, mode)}`;
      },
    });
  };
  for (const server of servers) await run(server, GRANT_COUNTS.at(-1)!, modesFor(data, GRANT_COUNTS.at(-1)!).at(-1)!, plan.warmupSeconds);
  const rounds = new Map<string, LoadResult[]>();
  for (let round = 0; round < plan.rounds; round += 1) {
    let turn = round;
    for (const k of GRANT_COUNTS) {
      for (const mode of modesFor(data, k)) {
        for (const server of rotated(servers, turn++)) {
          const key = cellKey(server.key, k, mode);
          rounds.set(key, [...(rounds.get(key) ?? []), await run(server, k, mode, plan.seconds)]);
        }
      }
    }
    log(`filtered search round ${round + 1}/${plan.rounds} done`);
  }
  return new Map([...rounds].map(([key, results]) => [key, mergeResults(results)]));
}
