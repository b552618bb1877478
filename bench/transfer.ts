import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { payloadChunks, payloadSha256 } from './payload';

/**
 * One streamed artifact transfer of `bytes` bytes. A PUT uploads the deterministic payload
 * (bench/payload.ts) in 1 MiB chunks honouring back-pressure (the client never holds the whole
 * body); a GET hashes what arrives. Resolves the elapsed milliseconds; rejects unless the answer
 * was 200 and, for a GET, complete with the payload's SHA-256: a corrupted transfer is an error,
 * never a throughput figure.
 */
export function transfer(url: string, method: 'PUT' | 'GET', bytes: number, headers: Record<string, string>): Promise<number> {
  const expected = method === 'GET' ? payloadSha256(bytes) : '';
  return new Promise((done, fail) => {
    const started = performance.now();
    const path = new URL(url).pathname;
    const req = request(url, { method, headers: method === 'PUT' ? { ...headers, 'content-length': String(bytes) } : headers }, (res) => {
      let received = 0;
      const hash = createHash('sha256');
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (method === 'GET') hash.update(chunk);
      });
      res.on('end', () => {
        const elapsed = performance.now() - started;
        if (res.statusCode !== 200 || (method === 'GET' && received !== bytes))
          return fail(new Error(`${method} ${path}: HTTP ${res.statusCode}, ${received} bytes`));
        if (method === 'PUT') return done(elapsed);
        const digest = hash.digest('hex');
        if (digest !== expected)
          return fail(new Error(`${method} ${path}: SHA-256 mismatch: downloaded ${digest.slice(0, 16)}…, uploaded ${expected.slice(0, 16)}…`));
        done(elapsed);
      });
      res.on('error', fail);
    });
    req.on('error', fail);
    if (method === 'GET') return void req.end();
    const chunks = payloadChunks(bytes);
    const pump = () => {
      for (let next = chunks.next(); !next.done; next = chunks.next()) {
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** MiB per second for `bytes` moved in `ms`. */
export const mibPerSecond = (bytes: number, ms: number) => bytes / 1024 / 1024 / (ms / 1000);
