import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pullingWebStream } from '@/lib/gateway/transports/web-body';

const sha = (chunks: Uint8Array[]) => chunks.reduce((hash, chunk) => hash.update(chunk), createHash('sha256')).digest('hex');

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks;
}

describe('pullingWebStream', () => {
  it('delivers every byte in order, whatever the source’s chunking, an empty body too', async () => {
    for (const sizes of [[], [0], [1], [65_536, 1, 3, 100_000], Array.from({ length: 200 }, (_, i) => (i * 7919) % 5000)]) {
      const chunks = sizes.map((size) => randomBytes(size));
      // A byte stream (not object mode), written all at once: pulls take several writes together.
      const source = new PassThrough({ highWaterMark: 1 << 20 });
      for (const chunk of chunks) source.write(chunk);
      source.end();
      const received = await readAll(pullingWebStream(source));
      expect(sha(received)).toBe(sha(chunks));
      expect(Buffer.concat(received).length).toBe(sizes.reduce((a, b) => a + b, 0));
      if (chunks.length > 1) expect(received.length).toBeLessThan(chunks.length);
    }
  });

  it('a pull waiting for data is woken by more data, and by the end', async () => {
    const source = new PassThrough();
    const reader = pullingWebStream(source).getReader();
    const first = reader.read();
    source.write('late');
    expect(Buffer.from((await first).value!).toString()).toBe('late');
    const last = reader.read();
    source.end();
    expect(await last).toEqual({ done: true, value: undefined });
  });

  it('a source already over when handed in: ended closes, destroyed early errors, instead of waiting forever', async () => {
    const ended = Readable.from([]);
    await new Promise((resolve) => ended.once('end', resolve).resume());
    expect(await readAll(pullingWebStream(ended))).toEqual([]);
    const destroyed = new PassThrough();
    destroyed.destroy();
    await expect(readAll(pullingWebStream(destroyed))).rejects.toThrow('the upstream body ended before it was complete');
  });

  it('reads nothing ahead of the consumer: an unread stream leaves the source paused at its high-water mark', async () => {
    const source = new PassThrough({ highWaterMark: 1024 });
    const stream = pullingWebStream(source);
    let accepted = 0;
    while (accepted < 1 << 20 && source.write(Buffer.alloc(256))) accepted += 256;
    // Let the 'readable' listener's first read(0) and any flowing happen: two turns of the loop.
    for (let turn = 0; turn < 2; turn++) await new Promise(setImmediate);
    // The producer was told to stop: nothing drained the source while nobody read the stream.
    expect(source.writableNeedDrain).toBe(true);
    expect(accepted).toBeLessThan(4096);
    const reader = stream.getReader();
    const first = await reader.read();
    // One pull takes what was buffered as one chunk.
    expect(first.value!.length).toBeGreaterThan(256);
    await reader.cancel();
  });

  it('cancelling (the client went away) destroys the source', async () => {
    const source = new PassThrough();
    const stream = pullingWebStream(source);
    source.write('x');
    await stream.cancel();
    expect(source.destroyed).toBe(true);
  });

  it('a source that fails or closes before its end errors the stream: a cut body is never passed off as whole', async () => {
    const failing = new PassThrough();
    const failed = readAll(pullingWebStream(failing));
    failing.write('partial');
    failing.destroy(new Error('socket hang up'));
    await expect(failed).rejects.toThrow('socket hang up');

    const cut = new PassThrough();
    const closed = readAll(pullingWebStream(cut));
    cut.write('partial');
    cut.destroy();
    await expect(closed).rejects.toThrow('the upstream body ended before it was complete');
  });
});
