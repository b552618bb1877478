import { percentile, type LoadResult } from './http-load';
import type { PortalMemory, TrivialResult, WayResult } from './measure';
import type { WayKey } from './stack';
import { mibPerSecond } from './transfer';

export interface Target {
  name: string;
  value: string;
  goal: string;
  met: boolean | undefined;
}

export interface Summary {
  table: string;
  trivialTable: string;
  /** The filtered-search table (bench/report-filtered.ts), when that case ran. */
  filteredTable?: string;
  targets: Target[];
}

export const check = (value: number, ok: (v: number) => boolean) => (Number.isFinite(value) ? ok(value) : undefined);
export const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const rps = (r: LoadResult) => r.requests / r.seconds;
/** Mean throughput over all rounds: total bytes over total time. */
const throughput = (bytes: number, ms: number[]) =>
  ms.length
    ? mibPerSecond(
        bytes * ms.length,
        ms.reduce((a, b) => a + b, 0),
      )
    : Number.NaN;

/** A padded markdown table; the first `leftColumns` columns are text (left-aligned), the rest numbers. */
export function markdownTable(header: string[], rows: string[][], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i < leftColumns ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * The REST-mix table (with transfer columns when transfers ran) and the targets of the ways that
 * ran: `--rbac-only` runs only direct, basic-auth and the RBAC way, without transfers or the
 * trivial upstream, so it gets only the RBAC target.
 */
export function summarise(ways: WayResult[], trivial: TrivialResult[], memory: Map<WayKey, PortalMemory>, transferBytes: number): Summary {
  const direct = ways.find((w) => w.way.key === 'direct')!;
  const directRest = direct.rest!;
  const directUp = throughput(transferBytes, direct.upMs);
  const directDown = throughput(transferBytes, direct.downMs);
  const transfersRan = ways.some((w) => w.upMs.length > 0 || w.transferError);
  const rows = ways.map(({ way, rest, upMs, downMs, transferError }) => {
    if (!rest) return [way.label, ...Array(transfersRan ? 11 : 7).fill('blocked')];
    const up = throughput(transferBytes, upMs);
    const down = throughput(transferBytes, downMs);
    const p = (q: number) => percentile(rest.latencies, q);
    const transferCell = (value: number, ratio: number) => (transferError ? ['failed', '–'] : [fixed(value, 0), fixed(ratio)]);
    return [
      way.label,
      fixed(rps(rest), 0),
      fixed(rps(rest) / rps(directRest)),
      fixed(p(50), 1),
      fixed(p(50) / percentile(directRest.latencies, 50)),
      fixed(p(99), 1),
      fixed(p(99) / percentile(directRest.latencies, 99)),
      String(rest.errors),
      ...(transfersRan ? [...transferCell(up, up / directUp), ...transferCell(down, down / directDown)] : []),
    ];
  });
  const table = markdownTable(
    [
      'way',
      'REST req/s',
      '× direct',
      'p50 ms',
      '× direct',
      'p99 ms',
      '× direct',
      'errors',
      ...(transfersRan ? ['1 GiB up MiB/s', '× direct', '1 GiB down MiB/s', '× direct'] : []),
    ],
    rows,
  );

  const measured = (key: WayKey) => ways.find((w) => w.way.key === key && w.rest);
  const { trivialTable, targets: trivialTargets } = trivial.length ? summariseTrivial(trivial) : { trivialTable: '', targets: [] };
  // A way whose transfer failed (an HTTP error, a short body, a SHA-256 mismatch) misses its
  // ratio targets outright: its partial timings are no throughput.
  const transferRatio = (name: string, key: WayKey, reference: WayKey, direction: 'upMs' | 'downMs'): Target => {
    const [way, ref] = [key, reference].map((k) => ways.find((w) => w.way.key === k)!);
    const failed = [way, ref].filter((w) => w.transferError).map((w) => w.way.label);
    const ratio = throughput(transferBytes, way[direction]) / throughput(transferBytes, ref[direction]);
    return failed.length
      ? { name, value: `transfer failed (${failed.join(', ')})`, goal: '≥ 0.80', met: false }
      : { name, value: fixed(ratio), goal: '≥ 0.80', met: check(ratio, (v) => v >= 0.8) };
  };
  const growth = (name: string, key: WayKey): Target => {
    const m = memory.get(key) ?? { idleMb: Number.NaN, peakMb: Number.NaN, growthMb: Number.NaN };
    return {
      name,
      value: `${fixed(m.growthMb, 1)} MB (idle ${fixed(m.idleMb, 0)} MB, peak ${fixed(m.peakMb, 0)} MB)`,
      goal: '≤ 64 MB',
      met: check(m.growthMb, (v) => v <= 64),
    };
  };
  const ratioTarget = (name: string, key: WayKey, reference: WayKey, goal: number): Target => {
    const ratio = rps(measured(key)!.rest!) / rps(measured(reference)!.rest!);
    return { name, value: fixed(ratio), goal: `≥ ${goal.toFixed(2)}`, met: check(ratio, (v) => v >= goal) };
  };
  const portal = measured('portal');
  const targets: Target[] = [
    ...(portal ? [ratioTarget('REST mix req/s, portal ÷ direct', 'portal', 'direct', 0.95)] : []),
    ...trivialTargets,
    ...(portal && transfersRan
      ? [
          transferRatio('1 GiB upload, portal ÷ direct', 'portal', 'direct', 'upMs'),
          transferRatio('1 GiB download, portal ÷ direct', 'portal', 'direct', 'downMs'),
          growth('portal RSS growth during 1 GiB transfers', 'portal'),
        ]
      : []),
    ...(portal && measured('next') && transfersRan
      ? [
          transferRatio('1 GiB upload, next start ÷ custom server', 'next', 'portal', 'upMs'),
          transferRatio('1 GiB download, next start ÷ custom server', 'next', 'portal', 'downMs'),
          growth('next start RSS growth during 1 GiB transfers', 'next'),
        ]
      : []),
    ...(measured('rbac') && measured('basic') ? [ratioTarget('REST mix req/s, portal+RBAC ÷ MLflow basic-auth', 'rbac', 'basic', 1.5)] : []),
  ];
  return { table, trivialTable, targets };
}

export function targetLines(targets: Target[]): string {
  const width = Math.max(...targets.map((t) => t.name.length));
  return targets
    .map((t) => `${t.name.padEnd(width)}  ${t.value}  target ${t.goal}: ${t.met === undefined ? 'not measured' : t.met ? 'met' : 'MISSED'}`)
    .join('\n');
}

/** The trivial-upstream table and its targets: latency, CPU against the bare proxy, the cost of metrics (also printed alone by `--trivial-only`). */
export function summariseTrivial(trivial: TrivialResult[]): { trivialTable: string; targets: Target[] } {
  const trivialDirect = trivial.find((t) => t.key === 'direct')!;
  const added = (t: TrivialResult, q: number) => percentile(t.paced.latencies, q) - percentile(trivialDirect.paced.latencies, q);
  const trivialTable = markdownTable(
    ['trivial upstream, 32 conns', 'paced p50 ms', 'p99 ms', 'added p50', 'added p99', 'flat-out req/s', '× direct', 'CPU ms/req'],
    trivial.map((t) => [
      t.label,
      fixed(percentile(t.paced.latencies, 50), 3),
      fixed(percentile(t.paced.latencies, 99), 3),
      t.key === 'direct' ? '–' : fixed(added(t, 50), 3),
      t.key === 'direct' ? '–' : fixed(added(t, 99), 3),
      fixed(rps(t.flat), 0),
      fixed(rps(t.flat) / rps(trivialDirect.flat)),
      t.cpuMsPerRequest === undefined ? '–' : fixed(t.cpuMsPerRequest, 3),
    ]),
  );

  const portalTrivial = trivial.find((t) => t.key === 'portal')!;
  const cpuTargets = [
    cpuRatioTarget(
      'trivial upstream: CPU per request, portal ÷ bare http-proxy',
      portalTrivial,
      trivial.find((t) => t.key === 'bare'),
    ),
    metricsCostTarget(
      trivial.find((t) => t.key === 'portal-metrics'),
      portalTrivial,
    ),
  ];
  const ref = (q: number) =>
    trivial
      .filter((t) => t.key === 'bare' || t.key === 'nginx')
      .map((t) => `${t.label} ${fixed(added(t, q), 3)}`)
      .join(', ');
  return {
    trivialTable,
    targets: [
      {
        name: 'trivial upstream: added p50',
        value: `${fixed(added(portalTrivial, 50), 3)} ms (${ref(50)})`,
        goal: '≤ 0.3 ms',
        met: check(added(portalTrivial, 50), (v) => v <= 0.3),
      },
      {
        name: 'trivial upstream: added p99',
        value: `${fixed(added(portalTrivial, 99), 3)} ms (${ref(99)})`,
        goal: '≤ 2 ms',
        met: check(added(portalTrivial, 99), (v) => v <= 2),
      },
      ...cpuTargets,
    ],
  };
}

/**
 * `way`'s CPU per request ÷ `reference`'s, round by round, and the median of those: on a shared
 * machine one round can land on someone else's build, and the median does not follow it.
 */
function cpuRatios(way: TrivialResult, reference: TrivialResult) {
  const byRound = way.cpuMsPerRequestByRound.map((ms, i) => ms / reference.cpuMsPerRequestByRound[i]);
  return { overall: median(byRound), byRound };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const cpuMs = (t: TrivialResult | undefined) => fixed(t?.cpuMsPerRequest ?? Number.NaN, 3);

function cpuRatioTarget(name: string, portal: TrivialResult, bare: TrivialResult | undefined): Target {
  const { overall, byRound } = bare ? cpuRatios(portal, bare) : { overall: Number.NaN, byRound: [] };
  return {
    name,
    value: `${fixed(overall)} (median of rounds; portal ${cpuMs(portal)} ms, bare http-proxy ${cpuMs(bare)} ms over all; by round ${byRound.map((r) => fixed(r)).join(', ') || '–'})`,
    goal: '≤ 1.15',
    met: check(overall, (v) => v <= 1.15),
  };
}

/**
 * What turning metrics exposure on adds: the listener and prom-client's process metrics (the
 * event-loop delay monitor, the GC observer). The per-request recording into cells runs in both
 * ways, exposed or not, so it is inside both numbers.
 */
function metricsCostTarget(on: TrivialResult | undefined, off: TrivialResult): Target {
  const { overall, byRound } = on ? cpuRatios(on, off) : { overall: Number.NaN, byRound: [] };
  const percent = (ratio: number) => (ratio - 1) * 100;
  return {
    name: "trivial upstream: metrics cost, share of the portal's CPU per request",
    value: `${fixed(percent(overall), 1)} % (median of rounds; metrics on ${cpuMs(on)} ms, off ${cpuMs(off)} ms over all; by round ${byRound.map((r) => `${fixed(percent(r), 1)} %`).join(', ') || '–'})`,
    goal: '< 5 %',
    met: check(percent(overall), (v) => v < 5),
  };
}
