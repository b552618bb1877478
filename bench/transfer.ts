import { request } from 'node:http';

/**
 * One streamed artifact transfer of `bytes` bytes: a PUT sends 1 MiB chunks honouring
 * back-pressure (the client never holds the whole body), a GET counts what arrives. Resolves the
 * elapsed milliseconds; rejects unless the answer was 200 and, for a GET, complete.
 */
export function transfer(url: string, method: 'PUT' | 'GET', bytes: number, headers: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const req = request(url, { method, headers: method === 'PUT' ? { ...headers, 'content-length': String(bytes) } : headers }, (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('end', () =>
        res.statusCode === 200 && (method === 'PUT' || received === bytes)
          ? done(performance.now() - started)
          : fail(new Error(`${method} ${new URL(url).pathname}: HTTP ${res.statusCode}, ${received} bytes`)),
      );
    });
    req.on('error', fail);
    if (method === 'GET') return void req.end();
    const chunk = Buffer.alloc(1024 * 1024, 7);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const size = Math.min(chunk.length, bytes - sent);
        sent += size;
        if (!req.write(size === chunk.length ? chunk : chunk.subarray(0, size))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** MiB per second for `bytes` moved in `ms`. */
export const mibPerSecond = (bytes: number, ms: number) => bytes / 1024 / 1024 / (ms / 1000);
