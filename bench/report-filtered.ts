import { percentile, type LoadResult } from './http-load';
import { cellKey, GRANT_COUNTS, modesFor, type FilteredCase, type FilteredKey, type FilteredServer, type PageMode } from './filtered-search';
import { check, fixed, markdownTable, type Target } from './report';

/** The target of issue 16: each auth way's searches/s at least this share of direct MLflow with the same IN filter. */
export const FILTERED_GOAL = 0.9;

export interface FilteredResults {
  servers: FilteredServer[];
  data: FilteredCase;
  results: Map<string, LoadResult>;
  connections: number;
}

/** "k=500, all 5 pages"; a set that fits on one page is "k=10, 1 page (first = all)". */
export function caseLabel(data: FilteredCase, k: number, mode: PageMode): string {
  const pages = data.pages.get(k) ?? 1;
  if (pages === 1) return `k=${k}, 1 page (first = all)`;
  return mode === 'first' ? `k=${k}, first page` : `k=${k}, all ${pages} pages`;
}

/** One cell's numbers: searches per second, p50 and p99 of one search (a page, or a walk of all pages). */
export function cell(input: FilteredResults, key: FilteredKey, k: number, mode: PageMode) {
  const result = input.results.get(cellKey(key, k, mode));
  const perSecond = result ? result.requests / result.seconds : Number.NaN;
  return {
    perSecond,
    p50: percentile(result?.latencies ?? [], 50),
    p99: percentile(result?.latencies ?? [], 99),
    errors: result?.errors ?? 0,
    errorSamples: result?.errorSamples ?? [],
  };
}

/**
 * The filtered-search table, ratios to direct MLflow with the same IN filter (the floor: the
 * query MLflow's auth app composes, without any auth), and one target per k and page mode for
 * the portal with MLflow's RBAC.
 */
export function summariseFiltered(input: FilteredResults): { table: string; targets: Target[] } {
  const rows: string[][] = [];
  const targets: Target[] = [];
  for (const k of GRANT_COUNTS) {
    for (const mode of modesFor(input.data, k)) {
      const floor = cell(input, 'direct', k, mode);
      input.servers.forEach((server, index) => {
        const c = cell(input, server.key, k, mode);
        rows.push([
          index === 0 ? caseLabel(input.data, k, mode) : '',
          server.label,
          fixed(c.perSecond, 1),
          fixed(c.perSecond / floor.perSecond),
          fixed(c.p50, 1),
          fixed(c.p50 / floor.p50),
          fixed(c.p99, 1),
          fixed(c.p99 / floor.p99),
          String(c.errors),
        ]);
      });
      const ratio = cell(input, 'rbac', k, mode).perSecond / floor.perSecond;
      targets.push({
        name: `filtered search ${caseLabel(input.data, k, mode)}, portal+RBAC ÷ direct + IN`,
        value: fixed(ratio),
        goal: `≥ ${FILTERED_GOAL.toFixed(2)}`,
        met: check(ratio, (v) => v >= FILTERED_GOAL),
      });
    }
  }
  const table = markdownTable(
    [`filtered search, ${input.connections} conns`, 'way', 'searches/s', '× floor', 'p50 ms', '× floor', 'p99 ms', '× floor', 'errors'],
    rows,
    2,
  );
  return { table, targets };
}
