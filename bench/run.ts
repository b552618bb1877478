import { cpus, loadavg } from 'node:os';
import { measureFilteredSearch, type FilteredPlan } from './filtered-search';
import { FilteredSearchMismatch, prepareFilteredCase } from './filtered-seed';
import { measureRestMix, measureTransfers, measureTrivial, seedWays, type Plan, type WayResult } from './measure';
import { summarise, summariseTrivial, targetLines, type Summary } from './report';
import { summariseFiltered, type FilteredResults } from './report-filtered';
import { rbacReading } from './reading-rbac';
import { startBenchStack, type WayKey } from './stack';
import { machineFacts, writeBenchmarksDoc } from './write-doc';

/**
 * `npm run bench [-- --write-doc] [-- --quick]`: the portal (its custom server and `next start`
 * on the production build, and the custom server in mlflow mode in front of MLflow's RBAC with
 * the plugin) against MLflow direct, MLflow's basic-auth app, mlflow-oidc-auth and nginx on one
 * REST mix and on 1 GiB artifact transfers, its added latency on a trivial upstream, and a
 * filtered experiments search (1000 experiments, READ granted on k of them). Prints the tables
 * and the issues' targets; `--write-doc` also writes docs/BENCHMARKS.md. `--quick` is a smoke run
 * (short, 128 MiB); `--trivial-only` measures only the trivial upstream (no MLflow), for
 * profiling the hot path; `--rbac-only` only the RBAC way (beside direct and basic-auth, its
 * references) and the filtered search, for iterating on them.
 */
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const trivialOnly = args.has('--trivial-only');
const rbacOnly = args.has('--rbac-only');
if ((quick || trivialOnly || rbacOnly) && args.has('--write-doc')) {
  console.error('--write-doc needs a full run: drop --quick / --trivial-only / --rbac-only');
  process.exit(2);
}
if (trivialOnly && rbacOnly) {
  console.error('--trivial-only and --rbac-only exclude each other');
  process.exit(2);
}
const plan: Plan = quick
  ? {
      connections: 16,
      warmupSeconds: 0.5,
      roundSeconds: 1.5,
      rounds: 1,
      trivialConnections: 32,
      trivialRate: 1000,
      trivialPacedSeconds: 1.5,
      trivialFlatSeconds: 1,
      trivialRounds: 1,
      transferBytes: 128 * 1024 * 1024,
      transferRounds: 1,
    }
  : {
      connections: 16,
      warmupSeconds: 2,
      roundSeconds: 6,
      rounds: 3,
      trivialConnections: 32,
      trivialRate: 1000,
      trivialPacedSeconds: 4,
      trivialFlatSeconds: 2,
      // Six, not three: the CPU targets are medians of per-round ratios, which swing by tens of percent here.
      trivialRounds: 6,
      transferBytes: 1024 * 1024 * 1024,
      transferRounds: 2,
    };

// Four connections keep MLflow's two workers busy without queueing most of a search's latency.
const filteredPlan: FilteredPlan = quick
  ? { connections: 4, warmupSeconds: 0.5, seconds: 1.5, rounds: 1 }
  : { connections: 4, warmupSeconds: 1, seconds: 4, rounds: 2 };

const started = performance.now();
const loadAtStart = loadavg();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
// Which ways share one MLflow server (and so its seeded read data).
const serverOf = (key: WayKey) => (key === 'portal' || key === 'next' || key === 'nginx' ? 'direct' : key);

const stack = await startBenchStack(log, { mode: trivialOnly ? 'trivial' : rbacOnly ? 'rbac' : 'all' });
let stopped = false;
const stop = async () => {
  if (stopped) return;
  stopped = true;
  await stack.stop();
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));
try {
  if (trivialOnly) {
    const { trivialTable, targets } = summariseTrivial(await measureTrivial(stack, plan, log));
    await stop();
    console.log(`\n${trivialTable}\n\n${targetLines(targets)}\n\ntotal elapsed: ${((performance.now() - started) / 1000).toFixed(0)} s`);
    process.exit(0);
  }
  for (const way of stack.ways.filter((w) => w.blocked)) log(`${way.label} cannot run: ${way.blocked}`);
  log('seeding each server');
  const data = await seedWays(stack.ways, plan.connections, serverOf);
  log(`REST mix: ${plan.connections} connections, ${plan.rounds} rounds of ${plan.roundSeconds} s per way`);
  const rest = await measureRestMix(stack.ways, data, plan, log);
  log('filtered search: seeding, granting and checking every way before timing');
  const filteredCase = await prepareFilteredCase(stack.filtered, log);
  log(`filtered search: ${filteredPlan.connections} connections, ${filteredPlan.rounds} rounds of ${filteredPlan.seconds} s per way and case`);
  const filtered: FilteredResults = {
    servers: stack.filtered,
    data: filteredCase,
    results: await measureFilteredSearch(stack.filtered, filteredCase, filteredPlan, log),
    connections: filteredPlan.connections,
  };
  if (!rbacOnly) log(`trivial upstream: ${plan.trivialConnections} connections, paced at ${plan.trivialRate} req/s, then flat out`);
  const trivial = rbacOnly ? [] : await measureTrivial(stack, plan, log);
  if (!rbacOnly) log(`artifact transfers: ${plan.transferBytes / 1024 / 1024} MiB up and down, ${plan.transferRounds} rounds`);
  const direct = stack.ways.find((w) => w.key === 'direct')!;
  const cleanup = (key: WayKey) => (serverOf(key) === 'direct' ? direct.target : stack.ways.find((w) => w.key === key)?.target);
  const transfers = rbacOnly
    ? {
        results: new Map(stack.ways.map((way) => [way.key, { upMs: [] as number[], downMs: [] as number[], error: undefined as string | undefined }])),
        memory: new Map(),
        cpuMsPerGiB: new Map<WayKey, number>(),
      }
    : await measureTransfers(stack.ways, data, plan, { cleanupTarget: cleanup, log });
  await stop();

  const ways: WayResult[] = stack.ways.map((way) => {
    const t = transfers.results.get(way.key)!;
    return { way, rest: rest.merged.get(way.key), upMs: t.upMs, downMs: t.downMs, transferError: t.error };
  });
  const restSummary = summarise(ways, trivial, transfers.memory, plan.transferBytes);
  const filteredSummary = summariseFiltered(filtered);
  const summary: Summary = { ...restSummary, filteredTable: filteredSummary.table, targets: [...restSummary.targets, ...filteredSummary.targets] };
  const elapsed = (performance.now() - started) / 1000;
  console.log(['', summary.table, summary.trivialTable, summary.filteredTable, targetLines(summary.targets)].filter(Boolean).join('\n\n'));
  for (const { way, rest: r, transferError } of ways) {
    if (way.blocked) console.log(`\n${way.label}: not measured: ${way.blocked}`);
    if (r?.errors) console.log(`\n${way.label}: ${r.errors} failed requests, e.g. ${r.errorSamples.join(' | ')}`);
    if (transferError) console.log(`\n${way.label}: transfer failed: ${transferError}`);
  }
  for (const [key, r] of filtered.results)
    if (r.errors) console.log(`\nfiltered search ${key}: ${r.errors} failed searches, e.g. ${r.errorSamples.join(' | ')}`);
  console.log('');
  for (const way of stack.ways.filter((w) => w.pid)) {
    const perRequest = rest.cpuMsPerRequest.get(way.key);
    const perGiB = transfers.cpuMsPerGiB.get(way.key);
    if (perRequest !== undefined)
      console.log(`${way.label} CPU per REST-mix request: ${perRequest.toFixed(3)} ms (${cpus().length} cores shared by client, portal and MLflow)`);
    if (perGiB !== undefined) console.log(`${way.label} CPU per GiB transferred: ${perGiB.toFixed(0)} ms`);
  }
  const loadAtEnd = loadavg();
  const loads = (l: number[]) => l.map((v) => v.toFixed(1)).join(' ');
  const byRound = (ratios: number[]) => ratios.map((r) => r.toFixed(2)).join(', ');
  if (!rbacOnly) console.log(`REST mix portal ÷ direct by round: ${byRound(rest.roundRatios)}; next start ÷ direct: ${byRound(rest.nextRoundRatios)}`);
  console.log(`REST mix portal+RBAC ÷ MLflow basic-auth by round: ${byRound(rest.rbacRoundRatios)}`);
  console.log(`\n${rbacReading({ ways, summary, cpuMsPerRequest: rest.cpuMsPerRequest, rbacRoundRatios: rest.rbacRoundRatios, filtered })}\n`);
  console.log(`load average at start ${loads(loadAtStart)}, at end ${loads(loadAtEnd)} (${cpus().length} cores)`);
  console.log(`\ntotal elapsed: ${elapsed.toFixed(0)} s${quick ? ' (quick smoke run)' : rbacOnly ? ' (RBAC only)' : ''}`);
  if (args.has('--write-doc')) {
    const path = await writeBenchmarksDoc({
      summary,
      ways,
      trivial,
      filtered,
      filteredPlan,
      plan,
      elapsed,
      facts: await machineFacts(stack.nginx?.version ?? 'nginx not run'),
      cpuMsPerRequest: rest.cpuMsPerRequest,
      cpuMsPerGiB: transfers.cpuMsPerGiB,
      memory: transfers.memory,
      restRoundRatios: rest.roundRatios,
      nextRoundRatios: rest.nextRoundRatios,
      rbacRoundRatios: rest.rbacRoundRatios,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      nginxConfig: stack.nginx?.config ?? '',
    });
    console.log(`wrote ${path}`);
  }
} catch (error) {
  await stop();
  if (error instanceof FilteredSearchMismatch) {
    console.error(`\nBENCH FAILED, nothing of the filtered search was timed: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
