import { Agent, request } from 'node:http';

/** One HTTP call a load worker makes; `body` is sent with an exact Content-Length. */
export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** First few error descriptions, to print when a way misbehaves. */
  errorSamples: string[];
  seconds: number;
  /** Every successful request's latency in ms, in completion order. */
  latencies: number[];
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** The n-th call of connection `worker`: lets each worker cycle through a request mix. */
  next: (worker: number, n: number) => Call;
  /** Total requests per second across all connections; omitted: every connection flat out. */
  ratePerSecond?: number;
}

/**
 * Drives `connections` keep-alive connections for a fixed time. Flat out (closed loop) it
 * measures throughput; with `ratePerSecond` each connection sends on a fixed schedule (open loop),
 * so latency is measured below saturation and is not just connections / throughput.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const result: LoadResult = { requests: 0, errors: 0, errorSamples: [], seconds: options.seconds, latencies: [] };
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const interval = options.ratePerSecond ? (options.connections * 1000) / options.ratePerSecond : 0;

  async function worker(index: number): Promise<void> {
    let due = started + (interval * index) / options.connections;
    for (let n = 0; ; n += 1) {
      if (interval > 0) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        due += interval;
      }
      if (performance.now() >= deadline) return;
      const sent = performance.now();
      const outcome = await send(agent, options.next(index, n));
      if (outcome === undefined) {
        result.requests += 1;
        result.latencies.push(performance.now() - sent);
      } else {
        result.errors += 1;
        if (result.errorSamples.length < 5) result.errorSamples.push(outcome);
      }
    }
  }

  await Promise.all(Array.from({ length: options.connections }, (_, index) => worker(index)));
  result.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return result;
}

/** Resolves undefined on a 2xx, else a short description of what went wrong. */
function send(agent: Agent, call: Call): Promise<string | undefined> {
  return new Promise((done) => {
    const headers = call.body ? { ...call.headers, 'content-length': String(call.body.length) } : call.headers;
    const req = request(call.url, { method: call.method, headers, agent }, (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (status >= 300) chunks.push(chunk);
      });
      res.on('end', () =>
        done(status < 300 ? undefined : `${call.method} ${new URL(call.url).pathname} → ${status} ${Buffer.concat(chunks).toString().slice(0, 160)}`),
      );
      res.on('error', (error) => done(`${call.method} ${call.url}: ${error.message}`));
    });
    req.on('error', (error) => done(`${call.method} ${new URL(call.url).pathname}: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    req.end(call.body);
  });
}

/** The p-th percentile (0–100) of latencies, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Merges the rounds of one way into one result (requests and time add up; latencies pool). */
export function mergeResults(results: readonly LoadResult[]): LoadResult {
  return {
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    errorSamples: results.flatMap((r) => r.errorSamples).slice(0, 5),
    seconds: results.reduce((sum, r) => sum + r.seconds, 0),
    latencies: results.flatMap((r) => r.latencies),
  };
}

/**
 * Drives `connections` workers flat out for a fixed time, each repeating `op` (which may make
 * several requests, e.g. follow a search's pages) on one shared keep-alive agent. `op` resolves
 * undefined on success, else a short description; its latency is the whole operation's.
 */
export async function runOps(options: { connections: number; seconds: number; op: (agent: Agent) => Promise<string | undefined> }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const result: LoadResult = { requests: 0, errors: 0, errorSamples: [], seconds: options.seconds, latencies: [] };
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      const outcome = await options.op(agent).catch((error: Error) => error.message);
      if (outcome === undefined) {
        result.requests += 1;
        result.latencies.push(performance.now() - sent);
      } else {
        result.errors += 1;
        if (result.errorSamples.length < 5) result.errorSamples.push(outcome);
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  result.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return result;
}

/** One request on `agent`; resolves the status and the parsed JSON body (undefined if not JSON). */
export function requestJson(agent: Agent, call: Call): Promise<{ status: number; json: unknown; text: string }> {
  return new Promise((done, fail) => {
    const headers = call.body ? { ...call.headers, 'content-length': String(call.body.length) } : call.headers;
    const req = request(call.url, { method: call.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        done({ status: res.statusCode ?? 0, json, text });
      });
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(call.body);
  });
}
