import { cpus, loadavg } from 'node:os';
import { measureRestMix, measureTransfers, measureTrivial, seedWays, type Plan, type WayResult } from './measure';
import { summarise, summariseTrivial, targetLines } from './report';
import { startBenchStack, type WayKey } from './stack';
import { machineFacts, writeBenchmarksDoc } from './write-doc';

/**
 * `npm run bench [-- --write-doc] [-- --quick]`: the portal (its custom server and `next start`
 * on the production build) against MLflow direct, MLflow's basic-auth app, mlflow-oidc-auth and
 * nginx on one REST mix and on 1 GiB artifact transfers, plus its added latency on a trivial
 * upstream. Prints one table and the issues' targets; `--write-doc` also writes
 * docs/BENCHMARKS.md. `--quick` is a smoke run (short, 128 MiB); `--trivial-only` measures only
 * the trivial upstream (no MLflow), for profiling the hot path.
 */
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const trivialOnly = args.has('--trivial-only');
if ((quick || trivialOnly) && args.has('--write-doc')) {
  console.error('--write-doc needs a full run: drop --quick / --trivial-only');
  process.exit(2);
}
const plan: Plan = quick
  ? { connections: 16, warmupSeconds: 0.5, roundSeconds: 1.5, rounds: 1, trivialConnections: 32, trivialRate: 1000, trivialPacedSeconds: 1.5, trivialFlatSeconds: 1, trivialRounds: 1, transferBytes: 128 * 1024 * 1024, transferRounds: 1 }
  : { connections: 16, warmupSeconds: 2, roundSeconds: 6, rounds: 3, trivialConnections: 32, trivialRate: 1000, trivialPacedSeconds: 4, trivialFlatSeconds: 2, trivialRounds: 3, transferBytes: 1024 * 1024 * 1024, transferRounds: 2 };

const started = performance.now();
const loadAtStart = loadavg();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
// Which ways share one MLflow server (and so its seeded read data).
const serverOf = (key: WayKey) => (key === 'portal' || key === 'next' || key === 'nginx' ? 'direct' : key);

const stack = await startBenchStack(log, { withMlflow: !trivialOnly });
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
  log(`trivial upstream: ${plan.trivialConnections} connections, paced at ${plan.trivialRate} req/s, then flat out`);
  const trivial = await measureTrivial(stack, plan, log);
  log(`artifact transfers: ${plan.transferBytes / 1024 / 1024} MiB up and down, ${plan.transferRounds} rounds`);
  const direct = stack.ways.find((w) => w.key === 'direct')!;
  const cleanup = (key: WayKey) => (serverOf(key) === 'direct' ? direct.target : stack.ways.find((w) => w.key === key)?.target);
  const transfers = await measureTransfers(stack.ways, data, plan, cleanup, log);
  await stop();

  const ways: WayResult[] = stack.ways.map((way) => {
    const t = transfers.results.get(way.key)!;
    return { way, rest: rest.merged.get(way.key), upMs: t.upMs, downMs: t.downMs, transferError: t.error };
  });
  const summary = summarise(ways, trivial, transfers.memory, plan.transferBytes);
  const elapsed = (performance.now() - started) / 1000;
  console.log(`\n${summary.table}\n\n${summary.trivialTable}\n\n${targetLines(summary.targets)}`);
  for (const { way, rest: r, transferError } of ways) {
    if (way.blocked) console.log(`\n${way.label}: not measured: ${way.blocked}`);
    if (r?.errors) console.log(`\n${way.label}: ${r.errors} failed requests, e.g. ${r.errorSamples.join(' | ')}`);
    if (transferError) console.log(`\n${way.label}: transfer failed: ${transferError}`);
  }
  console.log('');
  for (const way of stack.ways.filter((w) => w.pid)) {
    const perRequest = rest.cpuMsPerRequest.get(way.key);
    const perGiB = transfers.cpuMsPerGiB.get(way.key);
    if (perRequest !== undefined) console.log(`${way.label} CPU per REST-mix request: ${perRequest.toFixed(3)} ms (${cpus().length} cores shared by client, portal and MLflow)`);
    if (perGiB !== undefined) console.log(`${way.label} CPU per GiB transferred: ${perGiB.toFixed(0)} ms`);
  }
  const loadAtEnd = loadavg();
  const loads = (l: number[]) => l.map((v) => v.toFixed(1)).join(' ');
  console.log(`REST mix portal ÷ direct by round: ${rest.roundRatios.map((r) => r.toFixed(2)).join(', ')}; next start ÷ direct: ${rest.nextRoundRatios.map((r) => r.toFixed(2)).join(', ')}`);
  console.log(`load average at start ${loads(loadAtStart)}, at end ${loads(loadAtEnd)} (${cpus().length} cores)`);
  console.log(`\ntotal elapsed: ${elapsed.toFixed(0)} s${quick ? ' (quick smoke run)' : ''}`);
  if (args.has('--write-doc')) {
    const path = await writeBenchmarksDoc({
      summary,
      ways,
      trivial,
      plan,
      elapsed,
      facts: await machineFacts(stack.nginx.version),
      cpuMsPerRequest: rest.cpuMsPerRequest,
      cpuMsPerGiB: transfers.cpuMsPerGiB,
      memory: transfers.memory,
      restRoundRatios: rest.roundRatios,
      nextRoundRatios: rest.nextRoundRatios,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      nginxConfig: stack.nginx.config,
    });
    console.log(`wrote ${path}`);
  }
} catch (error) {
  await stop();
  throw error;
}
