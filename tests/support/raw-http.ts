import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string[]>;
  body: string;
  /** Whether the server closed the connection after this answer. */
  closed: boolean;
}

/**
 * Sends bytes exactly as given (fetch and node:http would fix up the framing we are testing) and
 * reads the first response. `status` 0 means the server closed without answering.
 */
export function rawExchange(baseUrl: string, bytes: Buffer | string, { timeoutMs = 10_000, head = false } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      const parsed = parseResponse(received, closed, head);
      if (parsed === 'incomplete' && !closed) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parsed === 'incomplete' ? { status: 0, headers: {}, body: received.toString('latin1'), closed: true } : parsed);
    };
    const timer = setTimeout(() => {
      socket.destroy();
      if (!done) reject(new Error(`no answer within ${timeoutMs} ms; got ${JSON.stringify(received.toString('latin1').slice(0, 200))}`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

function parseResponse(input: Buffer, closed: boolean, head: boolean): RawResponse | 'incomplete' {
  let buffer = input;
  let headEnd = buffer.indexOf('\r\n\r\n');
  // Interim answers (100 Continue) come before the real one: skip them.
  while (headEnd >= 0 && /^HTTP\/1\.[01] 1\d\d /.test(buffer.subarray(0, 16).toString('latin1'))) {
    buffer = buffer.subarray(headEnd + 4);
    headEnd = buffer.indexOf('\r\n\r\n');
  }
  if (headEnd < 0) return 'incomplete';
  const [statusLine, ...lines] = buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  const rest = buffer.subarray(headEnd + 4);
  const closing = closed || (headers.connection?.some((value) => value.toLowerCase() === 'close') ?? false);
  // A HEAD answer, a 204 and a 304 have no body whatever their headers say.
  if (head || status === 204 || status === 304) return { status, headers, body: '', closed: closing };
  const length = headers['content-length']?.[0];
  if (length !== undefined) {
    if (rest.length < Number(length) && !closed) return 'incomplete';
    return { status, headers, body: rest.subarray(0, Number(length)).toString(), closed: closing };
  }
  if (headers['transfer-encoding']?.some((value) => value.toLowerCase().includes('chunked'))) {
    const body = dechunk(rest);
    if (body === undefined && !closed) return 'incomplete';
    return { status, headers, body: (body ?? rest).toString(), closed: closing };
  }
  // No framing: the body runs until the server closes.
  return closed ? { status, headers, body: rest.toString(), closed: true } : 'incomplete';
}

function dechunk(bytes: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    at = lineEnd + 2;
    if (size === 0) return Buffer.concat(parts);
    if (!(size > 0) || bytes.length < at + size + 2) return undefined;
    parts.push(bytes.subarray(at, at + size));
    at += size + 2;
  }
}
