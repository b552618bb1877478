import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPortalHarness, TRANSPORT, type PortalHarness } from '@/tests/support/portal-harness';
import { startRecordingRelay, wireHeader, type RecordingRelay, type WireRequest } from '@/tests/support/recording-relay';
import { rawExchange } from '@/tests/support/raw-http';
import { tally } from '@/tests/security/tally';

/**
 * Request framing (issue: smuggling through body framing). Every method × framing combination is
 * sent byte for byte to both transports; a recording relay in front of the real MLflow parses what
 * MLflow received the way MLflow's own server does. The invariants, whatever the portal answers:
 * MLflow sees at most one request per client request, never bytes it cannot frame; a forwarded
 * request is the one the portal authorised (method, path) with the body bytes the client sent; the
 * next call on the pooled upstream connection gets its own answer; no smuggled request ever runs.
 */
const mlflowUrl = inject('mlflowUrl');
let portal: PortalHarness;
let relay: RecordingRelay;
const tokens: Record<'reader' | 'editor' | 'admin', string> = { reader: '', editor: '', admin: '' };
let artifactExperiment = '';

beforeAll(async () => {
  relay = await startRecordingRelay(mlflowUrl);
  portal = await startPortalHarness({ MLFLOW_UPSTREAM_URL: relay.url });
  for (const role of ['reader', 'editor', 'admin'] as const) tokens[role] = (await portal.session(`${role}@example.com`)).sessionJwt;
  const created = await fetch(`${mlflowUrl}/api/2.0/mlflow/experiments/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `framing-${Date.now()}` }),
  });
  artifactExperiment = ((await created.json()) as { experiment_id: string }).experiment_id;
});
afterAll(async () => {
  tally.report('request framing');
  await portal?.close();
  await relay?.close();
});

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A request MLflow must never run: it would create an experiment named after the case. */
const smuggled = (id: string) => {
  const body = JSON.stringify({ name: `smuggled-${id}` });
  return `POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
};

interface Framing {
  name: string;
  /** Header lines that frame the body (CRLF-terminated), given the body. */
  headers(body: Buffer): string;
  /** The body bytes on the wire, given the payload. */
  wire(body: Buffer): Buffer;
  version?: '1.0' | '1.1';
  /** Whether the request has a body by HTTP's rules (the payload is framed as this request's body). */
  carriesBody: boolean;
  /**
   * The payload follows the head unframed: by HTTP's rules it is not a body but the client's own
   * next request on the connection, which the portal must treat as a request of its own.
   */
  trailing?: boolean;
  /** Framing the portal must refuse whatever the method: ambiguous, conflicting or unsupported. */
  refused?: boolean;
  /**
   * Refused only where the transport can see the HTTP version. A route handler gets a fetch
   * Request, which hides it; there the body Node's parser decoded is forwarded, framed by the portal.
   */
  versionDependent?: boolean;
}

const chunk = (body: Buffer, sizes: number[], extension = '', trailer = ''): Buffer => {
  const parts: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    const piece = body.subarray(at, at + size);
    at += piece.length;
    if (piece.length > 0) parts.push(Buffer.from(`${piece.length.toString(16)}${extension}\r\n`), piece, Buffer.from('\r\n'));
  }
  if (at < body.length) parts.push(Buffer.from(`${(body.length - at).toString(16)}\r\n`), body.subarray(at), Buffer.from('\r\n'));
  parts.push(Buffer.from(`0\r\n${trailer}\r\n`));
  return Buffer.concat(parts);
};

const framings: Framing[] = [
  { name: 'no framing headers (the payload is a pipelined request)', headers: () => '', wire: (body) => body, carriesBody: false, trailing: true },
  { name: 'no body at all', headers: () => '', wire: () => Buffer.alloc(0), carriesBody: false },
  { name: 'Content-Length: 0', headers: () => 'Content-Length: 0\r\n', wire: () => Buffer.alloc(0), carriesBody: false },
  { name: 'Content-Length', headers: (body) => `Content-Length: ${body.length}\r\n`, wire: (body) => body, carriesBody: true },
  { name: 'chunked, one chunk', headers: () => 'Transfer-Encoding: chunked\r\n', wire: (body) => chunk(body, [body.length]), carriesBody: true },
  {
    name: 'chunked, several chunks, extensions and a trailer',
    headers: () => 'Transfer-Encoding: chunked\r\n',
    wire: (body) => chunk(body, [1, 7, 30], ';ext=1', 'X-Trailer: 1\r\n'),
    carriesBody: true,
  },
  { name: 'chunked, mixed case', headers: () => 'Transfer-Encoding: ChUnKeD\r\n', wire: (body) => chunk(body, [10]), carriesBody: true },
  {
    name: 'chunked + Content-Length',
    headers: (body) => `Transfer-Encoding: chunked\r\nContent-Length: ${body.length}\r\n`,
    wire: (body) => chunk(body, [5]),
    carriesBody: true,
    refused: true,
  },
  {
    name: 'Content-Length twice, equal',
    headers: (body) => `Content-Length: ${body.length}\r\nContent-Length: ${body.length}\r\n`,
    wire: (body) => body,
    carriesBody: true,
    refused: true,
  },
  {
    name: 'Content-Length twice, different',
    headers: (body) => `Content-Length: 2\r\nContent-Length: ${body.length}\r\n`,
    wire: (body) => body,
    carriesBody: true,
    refused: true,
  },
  {
    name: 'Content-Length list',
    headers: (body) => `Content-Length: ${body.length}, ${body.length}\r\n`,
    wire: (body) => body,
    carriesBody: true,
    refused: true,
  },
  { name: 'gzip, chunked', headers: () => 'Transfer-Encoding: gzip, chunked\r\n', wire: (body) => chunk(body, [9]), carriesBody: true, refused: true },
  {
    name: 'two Transfer-Encoding headers',
    headers: () => 'Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n',
    wire: (body) => chunk(body, [9]),
    carriesBody: true,
    refused: true,
  },
  {
    name: 'chunked, gzip (chunked not last)',
    headers: () => 'Transfer-Encoding: chunked, gzip\r\n',
    wire: (body) => chunk(body, [9]),
    carriesBody: true,
    refused: true,
  },
  { name: 'unknown coding only', headers: () => 'Transfer-Encoding: xchunked\r\n', wire: (body) => body, carriesBody: true, refused: true },
  {
    name: 'chunked on HTTP/1.0',
    headers: () => 'Transfer-Encoding: chunked\r\n',
    wire: (body) => chunk(body, [9]),
    version: '1.0',
    carriesBody: true,
    refused: true,
    versionDependent: true,
  },
  { name: 'Content-Length on HTTP/1.0', headers: (body) => `Content-Length: ${body.length}\r\n`, wire: (body) => body, version: '1.0', carriesBody: true },
  {
    name: 'Connection lists Content-Length',
    headers: (body) => `Connection: keep-alive, Content-Length\r\nContent-Length: ${body.length}\r\n`,
    wire: (body) => body,
    carriesBody: true,
  },
  {
    name: 'Connection lists Transfer-Encoding',
    headers: () => 'Connection: transfer-encoding\r\nTransfer-Encoding: chunked\r\n',
    wire: (body) => chunk(body, [4, 4]),
    carriesBody: true,
  },
  {
    name: 'Transfer_Encoding (underscore) + Content-Length',
    headers: (body) => `Transfer_Encoding: chunked\r\nContent-Length: ${body.length}\r\n`,
    wire: (body) => body,
    carriesBody: true,
  },
  {
    name: 'Content_Length (underscore) and no real framing',
    headers: (body) => `Content_Length: ${body.length}\r\n`,
    wire: (body) => body,
    carriesBody: false,
    trailing: true,
  },
  {
    name: 'Expect: 100-continue + Content-Length',
    headers: (body) => `Expect: 100-continue\r\nContent-Length: ${body.length}\r\n`,
    wire: (body) => body,
    carriesBody: true,
  },
];

interface Target {
  path: (id: string) => string;
  role: keyof typeof tokens;
}

const search = '/api/2.0/mlflow/experiments/search';
const targets: Record<Method, Target> = {
  GET: { path: () => `${search}?max_results=1`, role: 'reader' },
  HEAD: { path: () => `${search}?max_results=1`, role: 'reader' },
  POST: { path: () => search, role: 'reader' },
  PUT: { path: (id) => `/api/2.0/mlflow-artifacts/artifacts/${artifactExperiment}/framing/${id}.txt`, role: 'editor' },
  PATCH: { path: () => '/api/2.0/mlflow/registered-models/update', role: 'editor' },
  DELETE: { path: () => '/api/2.0/mlflow/registered-models/delete', role: 'admin' },
  OPTIONS: { path: () => search, role: 'admin' },
};
const bodiless = new Set<Method>(['GET', 'HEAD', 'OPTIONS']);

/** What the portal must do with this combination: forward it framed by itself, or refuse it. */
function expected(method: Method, framing: Framing): 'forwarded' | 'refused' {
  if (framing.refused && !(framing.versionDependent && TRANSPORT === 'next-start')) return 'refused';
  // GET/HEAD/OPTIONS bodies have no meaning MLflow relies on, and no client sends one: refused.
  if (bodiless.has(method) && framing.carriesBody) return 'refused';
  return 'forwarded';
}

// One transport per run: `npm test` runs this suite with the custom server and with `next start`.
const transport = { name: TRANSPORT, url: () => portal.url };

let sequence = 0;
describe(`${TRANSPORT}: every method × framing`, () => {
  const cases = (Object.keys(targets) as Method[]).flatMap((method) => framings.map((framing) => [method, framing.name, framing] as const));

  it.each(cases)('%s with %s', async (method, _name, framing) => {
    const id = `${Date.now().toString(36)}-${++sequence}`;
    const target = targets[method];
    const payload = Buffer.from(smuggled(id));
    const wire = framing.carriesBody || framing.trailing ? framing.wire(payload) : Buffer.alloc(0);
    const head =
      `${method} /mlflow${target.path(id)} HTTP/${framing.version ?? '1.1'}\r\nHost: portal.test\r\nAuthorization: Bearer ${tokens[target.role]}\r\n` +
      `Accept: application/json\r\nContent-Type: application/octet-stream\r\n${framing.headers(payload)}\r\n`;
    const before = relay.requests.length;
    const garbageBefore = relay.garbage.length;
    const response = await rawExchange(transport.url(), Buffer.concat([Buffer.from(head), wire]), { head: method === 'HEAD' });
    await relay.settled();
    const reached = relay.requests.slice(before);
    const outcome = expected(method, framing);

    tally.count(
      `${transport.name}: framing`,
      outcome === 'refused' ? reached.length === 0 && response.status >= 400 && response.status < 500 : reached.length === 1,
    );
    expect(relay.garbage.slice(garbageBefore), 'bytes MLflow could not frame').toEqual([]);
    if (outcome === 'refused') {
      expect({ status: Math.floor(response.status / 100), reached: reached.length }).toEqual({ status: 4, reached: 0 });
      return;
    }
    expect(
      reached.map((r) => `${r.method} ${r.target}`),
      'what MLflow received',
    ).toEqual([`${method} ${target.path(id)}`]);
    const sent = framing.carriesBody ? payload : Buffer.alloc(0);
    expect(unframedOrExact(reached[0], sent)).toBe(true);
    if (method === 'PUT') {
      expect(response.status).toBe(200);
      const stored = await fetch(`${mlflowUrl}${target.path(id)}`);
      expect(await stored.text()).toBe(sent.toString());
    }
    // The pooled upstream connection answers the next call with that call's own answer.
    const next = await fetch(`${transport.url()}/mlflow/version`, { headers: { authorization: `Bearer ${tokens.reader}` } });
    expect(await next.text()).toBe('3.18.0');
  });
});

/** The forwarded body is the client's, framed by a Content-Length we set or chunked we wrote. */
function unframedOrExact(request: WireRequest, body: Buffer): boolean {
  if (!request.body.equals(body)) return false;
  if (request.framing === 'none') return body.length === 0;
  if (request.framing === 'content-length') return Number(wireHeader(request, 'content-length')) === body.length;
  return true;
}

describe('after every combination', () => {
  it('MLflow never ran a smuggled request', async () => {
    const response = await fetch(`${mlflowUrl}/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: "name LIKE 'smuggled-%'", max_results: 1000 }),
    });
    const { experiments = [] } = (await response.json()) as { experiments?: { name: string }[] };
    expect(experiments.map((e) => e.name)).toEqual([]);
  });
});
