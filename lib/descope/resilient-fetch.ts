import { CircuitBreaker } from '@/lib/resilience/circuit-breaker';
import { backoffDelayMs, sleep } from '@/lib/resilience/retry';
import type { DescopeMeter, DescopeOperation, DescopeOutcome } from '@/lib/observability/metrics';

/** Raised instead of a network error so callers can tell "Descope is down" from "token is bad". */
export class DescopeUnavailableError extends Error {
  override name = 'DescopeUnavailableError';
}

export interface ResilientFetchOptions {
  timeoutMs?: number;
  retries?: number;
  breaker?: CircuitBreaker;
  /** Counts each call by operation and outcome, with its duration (retries included). */
  meter?: DescopeMeter;
}

// Calls that change nothing at Descope when repeated; only these are retried.
const idempotentPaths = [
  /\/v2\/keys\//,
  /\/v1\/auth\/(refresh|me|accesskey\/exchange)$/,
  /\/v2\/mgmt\/user\/search$/,
  /\/v1\/mgmt\/(role\/all|tenant\/all|accesskey\/search|license)$/,
];

function isIdempotent(method: string, path: string): boolean {
  return method === 'GET' || idempotentPaths.some((pattern) => pattern.test(path));
}

// What a call is, for the metrics: a fixed word per kind of Descope endpoint, never the path.
const operations: [RegExp, DescopeOperation][] = [
  [/\/v2\/keys\//, 'jwks'],
  [/\/v1\/auth\/refresh$/, 'refresh'],
  [/\/v1\/auth\/logout$/, 'logout'],
  [/\/v1\/auth\/me$/, 'me'],
  [/\/v1\/auth\/accesskey\/exchange$/, 'access-key-exchange'],
  [/\/v[12]\/mgmt\/user(\/|$)/, 'management-user'],
  [/\/v[12]\/mgmt\/role(\/|$)/, 'management-role'],
  [/\/v[12]\/mgmt\/accesskey(\/|$)/, 'management-access-key'],
  [/\/v[12]\/mgmt\/tenant(\/|$)/, 'management-tenant'],
  [/\/v[12]\/mgmt\//, 'management-other'],
];

export function descopeOperation(path: string): DescopeOperation {
  return operations.find(([pattern]) => pattern.test(path))?.[1] ?? 'other';
}

/**
 * A `fetch` for the Descope SDK: every call has a timeout, idempotent calls are retried with
 * jittered backoff on network errors and 5xx, and a shared circuit breaker makes an outage cost
 * milliseconds rather than a timeout per request. 4xx answers are Descope's verdict: passed on;
 * 5xx answers and network errors end as a DescopeUnavailableError.
 */
export function createResilientFetch(options: ResilientFetchOptions = {}): typeof fetch {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const retries = options.retries ?? 2;
  const breaker = options.breaker ?? new CircuitBreaker();
  const meter = options.meter;

  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = new URL(url).pathname;
    const method = (init?.method ?? 'GET').toUpperCase();
    const attempts = isIdempotent(method, path) ? retries + 1 : 1;
    const started = performance.now();
    const done = (outcome: DescopeOutcome) => meter?.record(descopeOperation(path), outcome, (performance.now() - started) / 1000);
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (attempt > 0) await sleep(backoffDelayMs(attempt - 1));
      if (!breaker.tryAcquire()) {
        // Opened by this call's own failed attempts: the call failed; otherwise it was never tried.
        done(attempt === 0 ? 'circuit-open' : 'error');
        throw new DescopeUnavailableError('Descope is unavailable (circuit open)');
      }
      try {
        const response = await fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        if (response.status < 500) {
          breaker.recordSuccess();
          done(response.status < 400 ? 'ok' : 'rejected');
          return response;
        }
        // Never hand a 5xx to the SDK: core-js-sdk retries 503s itself for ~10 s, which would
        // undo both our retry budget and the breaker's fast failure.
        breaker.recordFailure();
        lastError = new Error(`Descope answered ${response.status}`);
        await response.body?.cancel();
      } catch (error) {
        breaker.recordFailure();
        lastError = error;
      }
    }
    done(lastError instanceof Error && lastError.name === 'TimeoutError' ? 'timeout' : 'error');
    throw new DescopeUnavailableError(`Descope is unavailable: ${describe(lastError)}`);
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timed out' : error.message;
  return String(error);
}
