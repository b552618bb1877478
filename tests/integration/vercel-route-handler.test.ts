import { createHash, randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';
import { startRecordingUpstream } from '@/tests/support/recording-upstream';
import { serveRouteHandler } from '@/tests/support/route-handler-server';
import { createPortalRuntime } from '@/lib/runtime/portal-runtime';

/**
 * The Vercel deployment: no custom server, so /mlflow/* is app/mlflow/[[...path]]/route.ts. Vercel
 * refuses function bodies over 4.5 MB; the handler must refuse them itself, with a 413 a person can
 * act on, before a single byte goes upstream.
 */
const MB = 1_000_000;
const UPLOAD = '/mlflow/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/blob.bin';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let harness: PortalHarness;
let recorder: Awaited<ReturnType<typeof startRecordingUpstream>>;
let routeHandler: Awaited<ReturnType<typeof serveRouteHandler>>;
let editorToken: string;
// Keep-alive, as client libraries do: a connection left unusable by a refusal would show up here.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  recorder = await startRecordingUpstream((seen) => ({ body: JSON.stringify({ received: seen.raw.length, sha256: sha256(seen.raw) }) }));
  harness = await startPortalHarness({ MLFLOW_UPSTREAM_URL: recorder.url, VERCEL: '1' });
  const { GET, PUT } = await import('@/app/mlflow/[[...path]]/route');
  expect(PUT).toBe(GET);
  routeHandler = await serveRouteHandler(PUT);
  editorToken = (await harness.session('editor@example.com')).sessionJwt;
});
afterAll(async () => {
  agent.destroy();
  await routeHandler?.close();
  await recorder?.close();
  await harness?.close();
});
beforeEach(() => {
  recorder.seen.length = 0;
});

interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One upload the way a client library sends it: with a Content-Length, or chunked without one.
 * The whole body is offered (a client does not stop because the server has answered), and the
 * answer must arrive intact either way.
 */
function upload(body: Buffer, { chunked, token = editorToken }: { chunked: boolean; token?: string }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (!chunked) headers['content-length'] = String(body.length);
    const req = httpRequest(`${routeHandler.url}${UPLOAD}`, { method: 'PUT', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + 256 * 1024);
        offset += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

describe('Vercel mode: /mlflow/* through the App Router route handler', () => {
  it('refuses a body over 4.5 MB with a declared Content-Length: 413, a clear message, nothing upstream', async () => {
    const response = await upload(randomBytes(5 * MB), { chunked: false });
    expect(response.status).toBe(413);
    const error = JSON.parse(response.body) as { error_code: string; message: string };
    expect(error.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain('limited to 4500000 bytes');
    expect(error.message).toMatch(/multipart upload/);
    expect(response.headers.connection).toBe('close');
    expect(recorder.seen).toEqual([]);
  });

  it('refuses a chunked body (no Content-Length) once it passes 4.5 MB: 413, nothing upstream', async () => {
    const response = await upload(randomBytes(6 * MB), { chunked: true });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).message).toContain('limited to 4500000 bytes');
    expect(recorder.seen).toEqual([]);
    const next = await upload(randomBytes(1_000), { chunked: true });
    expect(next.status).toBe(200);
  });

  it('passes a 3 MB upload byte for byte, with its length, as the caller', async () => {
    for (const chunked of [false, true]) {
      recorder.seen.length = 0;
      const blob = randomBytes(3 * MB);
      const response = await upload(blob, { chunked });
      expect(response.status, response.body).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ received: blob.length, sha256: sha256(blob) });
      expect(recorder.seen).toHaveLength(1);
      const [seen] = recorder.seen;
      expect(seen.url).toBe('/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/blob.bin');
      expect(seen.raw.equals(blob)).toBe(true);
      expect(seen.headers['content-length']).toBe(String(blob.length));
      expect(seen.headers['transfer-encoding']).toBeUndefined();
      expect(seen.headers['x-forwarded-email']).toBe('editor@example.com');
      expect(seen.headers.authorization).toBeUndefined();
    }
  });

  it("answers an unauthenticated upload 401 in MLflow's shape, and nothing reaches MLflow", async () => {
    const response = await upload(randomBytes(1 * MB), { chunked: false, token: '' });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(JSON.parse(response.body).error_code).toBe('UNAUTHENTICATED');
    expect(response.headers.connection).toBe('close');
    const oversized = await upload(randomBytes(5 * MB), { chunked: true, token: '' });
    expect(oversized.status).toBe(401);
    expect(oversized.headers.connection).toBe('close');
    expect(recorder.seen).toEqual([]);
  });

  it("refuses a reader's upload 403 before reading it", async () => {
    const { sessionJwt } = await harness.session('reader@example.com');
    const response = await upload(randomBytes(1 * MB), { chunked: false, token: sessionJwt });
    expect(response.status).toBe(403);
    expect(response.headers.connection).toBe('close');
    expect(recorder.seen).toEqual([]);
    // The refused upload's connection was closed, so the next call on this agent is not held up behind it.
    const started = Date.now();
    expect((await upload(randomBytes(1_000), { chunked: false })).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('the same route handler outside Vercel (`next start`)', () => {
  it('applies no body cap: a 6 MB upload streams through, byte for byte, with its length', async () => {
    const unCapped = createPortalRuntime({ ...harness.config, vercel: false, maxBodyBytes: undefined });
    const served = await serveRouteHandler((request) => unCapped.handleMlflowRoute(request));
    try {
      const blob = randomBytes(6 * MB);
      const response = await fetch(`${served.url}${UPLOAD}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${editorToken}`, 'content-length': String(blob.length) },
        body: blob,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: blob.length, sha256: sha256(blob) });
      expect(recorder.seen.at(-1)?.headers['content-length']).toBe(String(blob.length));
    } finally {
      await served.close();
      unCapped.close();
    }
  });
});
