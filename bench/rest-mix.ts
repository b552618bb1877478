import type { Call } from './http-load';

/** Where a way's MLflow API lives and how its client signs in. */
export interface ApiTarget {
  /** The MLflow root as this way's clients see it, e.g. `http://127.0.0.1:3000/mlflow`. */
  base: string;
  headers: Record<string, string>;
}

/** What the mix reads and writes, created before the measured rounds. */
export interface MixData {
  readExperimentId: string;
  readRunId: string;
  /** One run per connection, so concurrent log-batch calls never queue on one row. */
  writeRunIds: string[];
}

const api = (target: ApiTarget, path: string) => `${target.base}/api/2.0/mlflow/${path}`;

async function post<T>(target: ApiTarget, path: string, body: unknown): Promise<T> {
  const response = await fetch(api(target, path), {
    method: 'POST',
    headers: { ...target.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`seeding: POST ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text || '{}') as T;
}

const createRun = async (target: ApiTarget, experimentId: string, name: string) =>
  (await post<{ run: { info: { run_id: string } } }>(target, 'runs/create', { experiment_id: experimentId, run_name: name, start_time: Date.now() })).run.info
    .run_id;

/**
 * The data every server gets, created through the way that will read it (so on the auth apps the
 * bench user owns it): an experiment of 10 runs with params, tags and a 100-point metric history.
 */
export async function seedReadData(target: ApiTarget): Promise<{ readExperimentId: string; readRunId: string }> {
  const { experiment_id: readExperimentId } = await post<{ experiment_id: string }>(target, 'experiments/create', { name: 'bench-read' });
  const runIds: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const runId = await createRun(target, readExperimentId, `read-${i}`);
    const now = Date.now();
    await post(target, 'runs/log-batch', {
      run_id: runId,
      params: Array.from({ length: 10 }, (_, p) => ({ key: `param_${p}`, value: String(p * i) })),
      tags: [{ key: 'team', value: 'bench' }],
      metrics: Array.from({ length: i === 0 ? 100 : 5 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: now + step, step })),
    });
    runIds.push(runId);
  }
  return { readExperimentId, readRunId: runIds[0] };
}

/** Write runs for one way, in the server's `bench-write` experiment (created on first use). */
export async function seedWriteRuns(target: ApiTarget, experimentName: string, count: number): Promise<string[]> {
  const search = await post<{ experiments?: { experiment_id: string }[] }>(target, 'experiments/search', {
    filter: `name = '${experimentName}'`,
    max_results: 1,
  });
  const found = search.experiments?.[0]?.experiment_id;
  const experimentId = found ?? (await post<{ experiment_id: string }>(target, 'experiments/create', { name: experimentName })).experiment_id;
  const runIds: string[] = [];
  for (let i = 0; i < count; i += 1) runIds.push(await createRun(target, experimentId, `write-${i}`));
  return runIds;
}

/**
 * The REST mix, one call in five each: experiments/search, runs/search, runs/get, log-batch,
 * metrics/get-history. Connection `worker` starts at a different point in the cycle, so at any
 * moment the server sees all five.
 */
export function restMixCall(target: ApiTarget, data: MixData, worker: number, n: number): Call {
  const json = { ...target.headers, 'content-type': 'application/json' };
  const body = (value: unknown) => Buffer.from(JSON.stringify(value));
  switch ((worker + n) % 5) {
    case 0:
      return { method: 'POST', url: api(target, 'experiments/search'), headers: json, body: body({ max_results: 10 }) };
    case 1:
      return { method: 'POST', url: api(target, 'runs/search'), headers: json, body: body({ experiment_ids: [data.readExperimentId], max_results: 10 }) };
    case 2:
      return { method: 'GET', url: api(target, `runs/get?run_id=${data.readRunId}`), headers: target.headers };
    case 3: {
      const now = Date.now();
      const metrics = Array.from({ length: 5 }, (_, k) => ({ key: `m${k}`, value: Math.random(), timestamp: now, step: n }));
      return {
        method: 'POST',
        url: api(target, 'runs/log-batch'),
        headers: json,
        body: body({ run_id: data.writeRunIds[worker % data.writeRunIds.length], metrics }),
      };
    }
    default:
      return { method: 'GET', url: api(target, `metrics/get-history?run_id=${data.readRunId}&metric_key=loss`), headers: target.headers };
  }
}
