import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** One HTTP request as the upstream's parser would read it off the wire. */
export interface WireRequest {
  connection: number;
  method: string;
  target: string;
  version: string;
  /** Header names lower-cased; repeated headers keep every value. */
  headers: [string, string][];
  /** The body after de-chunking, exactly as the upstream application would be handed it. */
  body: Buffer;
  framing: 'none' | 'content-length' | 'chunked';
}

/** Bytes the relay's parser could not read as a request: on a real server, a desync. */
export interface WireGarbage {
  connection: number;
  bytes: Buffer;
}

/**
 * A TCP relay between the portal and an upstream (a real MLflow in the security suites) that
 * records every request the upstream receives, parsed the way an HTTP/1.1 server reads a byte
 * stream: a chunked Transfer-Encoding frames the body, else Content-Length, else there is no
 * body and whatever follows is the next request. So a body the portal forwards without framing
 * shows up here exactly as it would in MLflow: as a second, unauthorised request.
 */
export async function startRecordingRelay(target: string) {
  const upstream = new URL(target);
  const requests: WireRequest[] = [];
  const garbage: WireGarbage[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let lastActivity = Date.now();

  const server = createServer((client) => {
    const id = ++connections;
    const parser = new RequestStreamParser(id, requests, garbage);
    const server = connect(Number(upstream.port), upstream.hostname);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      lastActivity = Date.now();
      parser.push(chunk);
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      lastActivity = Date.now();
      client.write(chunk);
    });
    client.on('end', () => server.end());
    server.on('end', () => client.end());
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    garbage,
    connections: () => connections,
    /**
     * Resolves once no byte has crossed the relay for `quietMs`: the negative assertions ("nothing
     * else reached MLflow") need the portal's writes for one call to be over, and there is no other
     * signal for "no more bytes are coming".
     */
    async settled(quietMs = 60, maxMs = 3_000): Promise<void> {
      const deadline = Date.now() + maxMs;
      while (Date.now() - lastActivity < quietMs && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, quietMs / 3));
      }
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type RecordingRelay = Awaited<ReturnType<typeof startRecordingRelay>>;

const CRLF2 = Buffer.from('\r\n\r\n');

class RequestStreamParser {
  private buffer = Buffer.alloc(0);
  private desynced = false;

  constructor(
    private readonly connection: number,
    private readonly requests: WireRequest[],
    private readonly garbage: WireGarbage[],
  ) {}

  push(chunk: Buffer): void {
    if (this.desynced) {
      this.garbage.push({ connection: this.connection, bytes: chunk });
      return;
    }
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const parsed = this.next();
      if (parsed === 'incomplete') return;
      if (parsed === 'garbage') {
        this.desynced = true;
        this.garbage.push({ connection: this.connection, bytes: this.buffer });
        this.buffer = Buffer.alloc(0);
        return;
      }
      this.requests.push(parsed);
    }
  }

  private next(): WireRequest | 'incomplete' | 'garbage' {
    const headEnd = this.buffer.indexOf(CRLF2);
    if (headEnd < 0) return this.buffer.length > 64 * 1024 ? 'garbage' : 'incomplete';
    const lines = this.buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
    const requestLine = /^([A-Z]+) (\S+) HTTP\/(1\.[01])$/.exec(lines[0] ?? '');
    if (!requestLine) return 'garbage';
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) return 'garbage';
      headers.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
    }
    const bodyStart = headEnd + CRLF2.length;
    const te = headers.filter(([name]) => name === 'transfer-encoding').map(([, value]) => value.toLowerCase());
    const cl = headers.find(([name]) => name === 'content-length')?.[1];
    let body: Buffer;
    let consumed: number;
    let framing: WireRequest['framing'];
    if (te.length > 0 && te.join(',').split(',').at(-1)?.trim() === 'chunked') {
      const chunked = dechunk(this.buffer, bodyStart);
      if (chunked === 'incomplete' || chunked === 'garbage') return chunked;
      ({ body, consumed } = chunked);
      framing = 'chunked';
    } else if (cl !== undefined) {
      const length = Number(cl);
      if (!Number.isSafeInteger(length) || length < 0) return 'garbage';
      if (this.buffer.length < bodyStart + length) return 'incomplete';
      body = this.buffer.subarray(bodyStart, bodyStart + length);
      consumed = bodyStart + length;
      framing = 'content-length';
    } else {
      body = Buffer.alloc(0);
      consumed = bodyStart;
      framing = 'none';
    }
    const [, method, target, version] = requestLine;
    this.buffer = this.buffer.subarray(consumed);
    return { connection: this.connection, method, target, version, headers, body: Buffer.from(body), framing };
  }
}

function dechunk(buffer: Buffer, start: number): { body: Buffer; consumed: number } | 'incomplete' | 'garbage' {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return 'incomplete';
    const size = parseInt(buffer.subarray(at, lineEnd).toString('latin1').split(';')[0].trim(), 16);
    if (!Number.isSafeInteger(size) || size < 0) return 'garbage';
    at = lineEnd + 2;
    if (size === 0) {
      // Trailers, if any, end with an empty line.
      const end = buffer.indexOf('\r\n', at);
      if (end < 0) return 'incomplete';
      if (end === at) return { body: Buffer.concat(parts), consumed: end + 2 };
      const trailersEnd = buffer.indexOf(CRLF2, at);
      if (trailersEnd < 0) return 'incomplete';
      return { body: Buffer.concat(parts), consumed: trailersEnd + 4 };
    }
    if (buffer.length < at + size + 2) return 'incomplete';
    parts.push(buffer.subarray(at, at + size));
    at += size + 2;
  }
}

/** The value of one header of a recorded request, or undefined. */
export function wireHeader(request: WireRequest, name: string): string | undefined {
  return request.headers.find(([key]) => key === name)?.[1];
}
