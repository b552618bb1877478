import { percentile, type LoadResult } from './http-load';
import type { WayResult } from './measure';
import { mibPerSecond } from './transfer';
import type { DocInput } from './write-doc';

const ms = (value: number | undefined, digits = 3) => (value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(digits)} ms`);
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} ×` : '–');
const rps = (r: LoadResult | undefined) => (r ? r.requests / r.seconds : Number.NaN);
const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : 'missed');

/**
 * The reading's `next start` paragraph: the route-handler way against the custom server on every
 * measure, each comparison worded from this run's numbers (which is larger decides the word).
 */
export function nextStartReading(input: DocInput): string {
  const { ways, trivial, summary, plan } = input;
  const way = (key: string) => ways.find((w) => w.way.key === key);
  const [custom, next] = [way('portal'), way('next')];
  if (!custom?.rest || !next?.rest) return '**`next start`.** Not measured in this run.';
  const target = (name: string) => summary.targets.find((t) => t.name === name);
  const p50 = (r: LoadResult) => percentile(r.latencies, 50);
  const rounds = (values: number[]) => values.map((v) => v.toFixed(2)).join(', ');
  const lines = [
    '**`next start`.** The same production build under `next start`, `/mlflow/*` through the App Router route handler. ' +
      "The gateway's planner is the same module on both servers, so what differs is the transport: Next's server with the route handler's " +
      "fetch `Request`/`Response` and web streams, against the custom server's `http-proxy`.",
  ];

  const restRatio = rps(next.rest) / rps(custom.rest);
  const spread = input.restRoundRatios.length > 1 ? [Math.min(...input.restRoundRatios), Math.max(...input.restRoundRatios)] : undefined;
  const nextToDirect = rps(next.rest) / rps(way('direct')?.rest);
  lines.push(
    `REST mix: ${rps(next.rest).toFixed(0)} req/s, ${ratio(restRatio)} the custom server's ${rps(custom.rest).toFixed(0)} (p50 ${ms(p50(next.rest), 1)} against ${ms(p50(custom.rest), 1)}); ` +
      `÷ direct by round ${rounds(input.nextRoundRatios)} against the custom server's ${rounds(input.restRoundRatios)}` +
      (spread
        ? `, so next start's ${nextToDirect.toFixed(2)} is ${nextToDirect >= spread[0] && nextToDirect <= spread[1] ? 'inside' : 'outside'} the custom server's own round-to-round spread`
        : '') +
      `. Its server process spent ${ms(input.cpuMsPerRequest.get('next'), 2)} of CPU per REST request, ${ratio((input.cpuMsPerRequest.get('next') ?? Number.NaN) / (input.cpuMsPerRequest.get('portal') ?? Number.NaN))} the custom server's ${ms(input.cpuMsPerRequest.get('portal'), 2)}.`,
  );

  const byKey = (key: string) => trivial.find((t) => t.key === key);
  const paced = (key: string, q: number) => percentile(byKey(key)?.paced.latencies ?? [], q);
  const added = (key: string, q: number) => paced(key, q) - paced('direct', q);
  const extra = added('next', 50) - added('portal', 50);
  const [nextCpu, customCpu] = [byKey('next')?.cpuMsPerRequest, byKey('portal')?.cpuMsPerRequest];
  lines.push(
    `On the trivial upstream it added ${ms(added('next', 50))} at p50 and ${ms(added('next', 99))} at p99, against the custom server's ${ms(added('portal', 50))} and ${ms(added('portal', 99))}: ` +
      `${ms(Math.abs(extra))} ${extra >= 0 ? 'more' : 'less'} per request at p50. CPU per request ${ms(nextCpu)} against ${ms(customCpu)} (${ratio((nextCpu ?? Number.NaN) / (customCpu ?? Number.NaN))}); ` +
      `flat out ${rps(byKey('next')?.flat).toFixed(0)} req/s, ${ratio(rps(byKey('next')?.flat) / rps(byKey('portal')?.flat))} the custom server's.` +
      (rps(byKey('next')?.flat) < plan.trivialRate
        ? ` That is below the paced rate of ${plan.trivialRate} req/s, so next start's paced latencies are queueing in a saturated server, not the cost of one request.`
        : ''),
  );
  lines.push(transferSentence(input, custom, next, target));
  return lines.join(' ');
}

function transferSentence(
  input: DocInput,
  custom: WayResult,
  next: WayResult,
  target: (name: string) => { value: string; met: boolean | undefined } | undefined,
): string {
  const bytes = input.plan.transferBytes;
  const size = bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GiB` : `${bytes / 1024 ** 2} MiB`;
  const failed = [next, custom].filter((w) => w.transferError).map((w) => `${w.way.label}: ${w.transferError}`);
  if (failed.length) return `${size} transfers failed (${failed.join('; ')}), so there is no transfer comparison.`;
  const mib = (w: WayResult, direction: 'upMs' | 'downMs') =>
    mibPerSecond(
      bytes * w[direction].length,
      w[direction].reduce((a, b) => a + b, 0),
    );
  const up = target('1 GiB upload, next start ÷ custom server');
  const down = target('1 GiB download, next start ÷ custom server');
  const rss = target('next start RSS growth during 1 GiB transfers');
  const [nextGiB, customGiB] = [input.cpuMsPerGiB.get('next'), input.cpuMsPerGiB.get('portal')];
  const cpuRatio = (nextGiB ?? Number.NaN) / (customGiB ?? Number.NaN);
  const missedRatio = up?.met === false || down?.met === false;
  return (
    `${size} up ${mib(next, 'upMs').toFixed(0)} MiB/s and down ${mib(next, 'downMs').toFixed(0)} MiB/s, ${up?.value ?? '–'} and ${down?.value ?? '–'} × the custom server's ` +
    `${mib(custom, 'upMs').toFixed(0)} and ${mib(custom, 'downMs').toFixed(0)} (target ≥ 0.80: up ${verdict(up?.met)}, down ${verdict(down?.met)}), every download matching the upload's SHA-256; ` +
    `CPU per GiB moved ${ms(nextGiB, 0)} against ${ms(customGiB, 0)} (${ratio(cpuRatio)}). ` +
    `Its RSS grew ${rss?.value ?? '–'}, target ≤ 64 MB ${verdict(rss?.met)}; the custom server's grew ${input.memory.get('portal')?.growthMb.toFixed(1) ?? '–'} MB.` +
    (missedRatio && cpuRatio > 1
      ? ` The miss comes with ${ratio(cpuRatio)} the custom server's CPU per GiB, on the ${input.facts.cores} cores the client and MLflow use too.`
      : '')
  );
}
