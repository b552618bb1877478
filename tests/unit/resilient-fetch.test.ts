import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '@/lib/resilience/circuit-breaker';
import { createResilientFetch, DescopeUnavailableError } from '@/lib/descope/resilient-fetch';
import { listenOnLoopback } from '@/tools/local-stack/wait';

let url: string;
let hits: Record<string, number> = {};
let close: () => Promise<void>;

beforeAll(async () => {
  const server = createServer((req, res) => {
    hits[req.url ?? ''] = (hits[req.url ?? ''] ?? 0) + 1;
    if (req.url?.startsWith('/v1/auth/refresh')) return void res.writeHead(503).end('{}');
    if (req.url?.startsWith('/v1/mgmt/user/update/role/add')) return void res.writeHead(503).end('{}');
    if (req.url?.startsWith('/hang')) return;
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"errorCode":"E1"}');
  });
  ({ url, close } = await listenOnLoopback(server));
});
afterAll(() => close());

describe('createResilientFetch', () => {
  it('passes 4xx verdicts through untouched', async () => {
    const response = await createResilientFetch()(`${url}/v1/auth/me`);
    expect(response.status).toBe(401);
  });

  it('retries idempotent calls on 5xx, then throws instead of returning the 5xx', async () => {
    hits = {};
    await expect(createResilientFetch({ retries: 2 })(`${url}/v1/auth/refresh`, { method: 'POST' })).rejects.toThrow(DescopeUnavailableError);
    expect(hits['/v1/auth/refresh']).toBe(3);
  });

  it('never retries non-idempotent calls', async () => {
    hits = {};
    await expect(createResilientFetch({ retries: 2 })(`${url}/v1/mgmt/user/update/role/add`, { method: 'POST' })).rejects.toThrow(DescopeUnavailableError);
    expect(hits['/v1/mgmt/user/update/role/add']).toBe(1);
  });

  it('times out, and once the breaker is open fails without calling out', async () => {
    const breaker = new CircuitBreaker(2, 60_000);
    const resilient = createResilientFetch({ timeoutMs: 100, retries: 0, breaker });
    await expect(resilient(`${url}/hang`)).rejects.toThrow(/timed out/);
    await expect(resilient(`${url}/hang`)).rejects.toThrow(DescopeUnavailableError);
    hits = {};
    const started = performance.now();
    await expect(resilient(`${url}/v1/auth/me`)).rejects.toThrow(/circuit open/);
    expect(performance.now() - started).toBeLessThan(20);
    expect(hits).toEqual({});
  });

  it('counts each call once by operation and outcome, retries included in its duration', async () => {
    const seen: string[] = [];
    const meter = { record: (operation: string, outcome: string, seconds: number) => void seen.push(`${operation} ${outcome} ${seconds >= 0}`) };
    const breaker = new CircuitBreaker(4, 60_000);
    const resilient = createResilientFetch({ timeoutMs: 100, retries: 2, breaker, meter });
    await resilient(`${url}/v1/auth/me`);
    await expect(resilient(`${url}/v1/auth/refresh`, { method: 'POST' })).rejects.toThrow(DescopeUnavailableError);
    await expect(resilient(`${url}/hang`, { method: 'POST' })).rejects.toThrow(/timed out/);
    await expect(resilient(`${url}/v2/keys/P2abc`)).rejects.toThrow(/circuit open/);
    expect(seen).toEqual(['me rejected true', 'refresh error true', 'other timeout true', 'jwks circuit-open true']);
  });
});
