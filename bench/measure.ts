import { mergeResults, runLoad, type LoadResult } from './http-load';
import { restMixCall, seedReadData, seedWriteRuns, type MixData } from './rest-mix';
import { payloadSha256 } from './payload';
import { cpuMs, rssMb, sampleRss } from './rss';
import type { BenchStack, Way, WayKey } from './stack';
import { transfer } from './transfer';

export interface Plan {
  connections: number;
  warmupSeconds: number;
  roundSeconds: number;
  rounds: number;
  trivialConnections: number;
  trivialRate: number;
  trivialPacedSeconds: number;
  trivialFlatSeconds: number;
  trivialRounds: number;
  transferBytes: number;
  transferRounds: number;
}

export interface WayResult {
  way: Way;
  rest?: LoadResult;
  upMs: number[];
  downMs: number[];
  transferError?: string;
}

export interface TrivialResult {
  key: BenchStack['trivial'][number]['key'];
  label: string;
  paced: LoadResult;
  flat: LoadResult;
  /** CPU ms the proxy process used per request over all its rounds (undefined: not sampled). */
  cpuMsPerRequest?: number;
  /** The same, round by round (empty: not sampled): ratios between ways are taken per round too. */
  cpuMsPerRequestByRound: number[];
}

export interface PortalMemory {
  idleMb: number;
  peakMb: number;
  growthMb: number;
}

/** Rotates the order each round, so no way always runs first (or right after a 1 GiB write). */
const rotated = <T>(items: readonly T[], round: number) => items.map((_, i) => items[(i + round) % items.length]);

/** Seeds every server once (through its first way) and gives each way its own write runs. */
export async function seedWays(ways: Way[], connections: number, serverOf: (key: WayKey) => string): Promise<Map<WayKey, MixData>> {
  const readBy = new Map<string, { readExperimentId: string; readRunId: string }>();
  const data = new Map<WayKey, MixData>();
  for (const way of ways) {
    if (!way.target) continue;
    const server = serverOf(way.key);
    if (!readBy.has(server)) readBy.set(server, await seedReadData(way.target));
    const writeRunIds = await seedWriteRuns(way.target, 'bench-write', connections);
    data.set(way.key, { ...readBy.get(server)!, writeRunIds });
  }
  return data;
}

/**
 * The REST mix, interleaved: every round runs each way once, in a rotated order. The CPU of each
 * way with a server `pid` (the portal's two servers) is sampled over its own rounds.
 */
export async function measureRestMix(ways: Way[], data: Map<WayKey, MixData>, plan: Plan, log: (line: string) => void) {
  const runnable = ways.filter((way) => way.target);
  const load = (way: Way, seconds: number) =>
    runLoad({ connections: plan.connections, seconds, next: (worker, n) => restMixCall(way.target!, data.get(way.key)!, worker, n) });
  for (const way of runnable) await load(way, plan.warmupSeconds);
  const rounds = new Map<WayKey, LoadResult[]>(runnable.map((way) => [way.key, []]));
  const cpu = new Map<WayKey, number>();
  for (let round = 0; round < plan.rounds; round += 1) {
    for (const way of rotated(runnable, round)) {
      const cpuBefore = way.pid ? cpuMs(way.pid) : 0;
      rounds.get(way.key)!.push(await load(way, plan.roundSeconds));
      if (way.pid) cpu.set(way.key, (cpu.get(way.key) ?? 0) + cpuMs(way.pid) - cpuBefore);
    }
    log(`REST mix round ${round + 1}/${plan.rounds} done`);
  }
  const merged = new Map([...rounds].map(([key, results]) => [key, mergeResults(results)]));
  const cpuMsPerRequest = new Map([...cpu].map(([key, ms]) => [key, ms / (merged.get(key)?.requests || Number.NaN)]));
  // Round by round way ÷ direct req/s: the spread shows how much of a difference is noise.
  const perRound = (key: WayKey) => rounds.get(key)?.map((r) => r.requests / r.seconds) ?? [];
  const roundRatios = (key: WayKey, reference: WayKey = 'direct') => perRound(key).map((rps, i) => rps / perRound(reference)[i]);
  return { merged, roundRatios: roundRatios('portal'), nextRoundRatios: roundRatios('next'), rbacRoundRatios: roundRatios('rbac', 'basic'), cpuMsPerRequest };
}

/** Added latency on a trivial upstream: paced below saturation, then flat out; interleaved. */
export async function measureTrivial(stack: BenchStack, plan: Plan, log: (line: string) => void): Promise<TrivialResult[]> {
  const results = new Map(stack.trivial.map((t) => [t.key, { paced: [] as LoadResult[], flat: [] as LoadResult[], cpu: 0, byRound: [] as number[] }]));
  const call = (target: (typeof stack.trivial)[number]['target']) => () => ({ method: 'GET', url: target.base, headers: target.headers });
  for (const t of stack.trivial) await runLoad({ connections: plan.trivialConnections, seconds: 1, next: call(t.target) });
  for (let round = 0; round < plan.trivialRounds; round += 1) {
    for (const t of rotated(stack.trivial, round)) {
      const entry = results.get(t.key)!;
      const before = t.pid ? cpuMs(t.pid) : 0;
      entry.paced.push(
        await runLoad({ connections: plan.trivialConnections, seconds: plan.trivialPacedSeconds, ratePerSecond: plan.trivialRate, next: call(t.target) }),
      );
      entry.flat.push(await runLoad({ connections: plan.trivialConnections, seconds: plan.trivialFlatSeconds, next: call(t.target) }));
      if (t.pid) {
        const used = cpuMs(t.pid) - before;
        entry.cpu += used;
        entry.byRound.push(used / (entry.paced.at(-1)!.requests + entry.flat.at(-1)!.requests));
      }
    }
    log(`trivial upstream round ${round + 1}/${plan.trivialRounds} done`);
  }
  return stack.trivial.map((t) => {
    const entry = results.get(t.key)!;
    const paced = mergeResults(entry.paced);
    const flat = mergeResults(entry.flat);
    const cpuMsPerRequest = t.pid ? entry.cpu / (paced.requests + flat.requests) : undefined;
    return { key: t.key, label: t.label, paced, flat, cpuMsPerRequest, cpuMsPerRequestByRound: entry.byRound };
  });
}

/**
 * 1 GiB up (PUT) then down (GET) per way and round, interleaved; each download must hash to the
 * upload's SHA-256 (bench/transfer.ts), or the way's transfers count as failed. The RSS and CPU
 * of each way with a server `pid` are sampled throughout its own transfers. Each artifact is
 * deleted afterwards through `cleanupTarget` (the server's owner: the portal's editor may not
 * delete).
 */
export async function measureTransfers(
  ways: Way[],
  data: Map<WayKey, MixData>,
  plan: Plan,
  { cleanupTarget, log }: { cleanupTarget: (key: WayKey) => Way['target']; log: (line: string) => void },
) {
  const results = new Map<WayKey, { upMs: number[]; downMs: number[]; error?: string }>(ways.map((way) => [way.key, { upMs: [], downMs: [] }]));
  const tracked = ways.filter((way) => way.target && way.pid);
  const memory = new Map<WayKey, PortalMemory>(tracked.map((way) => [way.key, { idleMb: rssMb(way.pid!), peakMb: 0, growthMb: 0 }]));
  const cpu = new Map<WayKey, { ms: number; bytes: number }>(tracked.map((way) => [way.key, { ms: 0, bytes: 0 }]));
  payloadSha256(plan.transferBytes); // hashed once, before any timed transfer
  for (let round = 0; round < plan.transferRounds; round += 1) {
    for (const way of rotated(
      ways.filter((w) => w.target),
      round,
    )) {
      const entry = results.get(way.key)!;
      if (entry.error) continue;
      const target = way.target!;
      const path = `/api/2.0/mlflow-artifacts/artifacts/${data.get(way.key)!.readExperimentId}/bench/${way.key}-${round}.bin`;
      const pid = way.pid;
      const idle = pid ? rssMb(pid) : 0;
      const sampler = pid ? sampleRss(pid) : undefined;
      const cpuBefore = pid ? cpuMs(pid) : 0;
      const movedBefore = entry.upMs.length + entry.downMs.length;
      try {
        entry.upMs.push(await transfer(`${target.base}${path}`, 'PUT', plan.transferBytes, target.headers));
        entry.downMs.push(await transfer(`${target.base}${path}`, 'GET', plan.transferBytes, target.headers));
      } catch (error) {
        entry.error = (error as Error).message;
      } finally {
        const peak = sampler?.stop();
        const used = cpu.get(way.key);
        if (pid && used) {
          used.ms += cpuMs(pid) - cpuBefore;
          used.bytes += plan.transferBytes * (entry.upMs.length + entry.downMs.length - movedBefore);
        }
        // Reported from the round that grew most, so idle + growth = peak.
        const grown = memory.get(way.key);
        if (grown && peak !== undefined && peak - idle >= grown.growthMb) Object.assign(grown, { idleMb: idle, peakMb: peak, growthMb: peak - idle });
        const owner = cleanupTarget(way.key) ?? target;
        await fetch(`${owner.base}${path}`, { method: 'DELETE', headers: owner.headers }).catch(() => undefined);
      }
    }
    log(`1 GiB transfers round ${round + 1}/${plan.transferRounds} done`);
  }
  // CPU each portal server spent per GiB it moved (up and down together).
  const cpuMsPerGiB = new Map([...cpu].filter(([, c]) => c.bytes > 0).map(([key, c]) => [key, c.ms / (c.bytes / 1024 ** 3)]));
  return { results, memory, cpuMsPerGiB };
}
