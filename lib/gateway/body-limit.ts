export type BoundedRead = { ok: true; bytes: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

export interface BodyLimit {
  /** Most bytes to hold; one more and the read stops with `too-large`. */
  maxBytes: number;
}

/**
 * Reads a whole request body into memory, never more than `maxBytes`: the one limiter both
 * transports use (a Node request and a fetch body are both async iterables of bytes). Bodies are
 * only ever read this way when the portal must see them; everything else streams.
 *
 * On overflow the iterator is abandoned, not closed: closing would destroy the request and its
 * socket before the 413 could be written. The transport answers with `Connection: close`.
 */
export async function readBounded(source: AsyncIterable<Uint8Array> | null | undefined, limit: BodyLimit): Promise<BoundedRead> {
  if (!source) return { ok: true, bytes: Buffer.alloc(0) };
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    let step: IteratorResult<Uint8Array>;
    try {
      step = await iterator.next();
    } catch {
      return { ok: false, reason: 'aborted' };
    }
    if (step.done) return { ok: true, bytes: Buffer.concat(chunks, size) };
    size += step.value.byteLength;
    if (size > limit.maxBytes) return { ok: false, reason: 'too-large' };
    chunks.push(Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength));
  }
}
