import { createHash } from 'node:crypto';

const CHUNK = 1024 * 1024;

// One pseudo-random MiB (SHA-256 in counter mode from a fixed seed), the same in every run.
const block = Buffer.concat(Array.from({ length: CHUNK / 32 }, (_, i) => createHash('sha256').update(`bench-payload-${i}`).digest()));

/**
 * The artifact every transfer uploads: `bytes` bytes in 1 MiB chunks, each the fixed block with
 * its own index in the first 8 bytes, so a chunk that is dropped, repeated or reordered on the way
 * changes the digest (a repeated block alone would not). Each chunk is a fresh buffer: a socket
 * may hold a written chunk until it is flushed.
 */
export function* payloadChunks(bytes: number): Generator<Buffer> {
  for (let index = 0, sent = 0; sent < bytes; index += 1) {
    const size = Math.min(CHUNK, bytes - sent);
    const chunk = Buffer.allocUnsafe(size);
    block.copy(chunk, 0, 0, size);
    if (size >= 8) chunk.writeBigUInt64BE(BigInt(index));
    sent += size;
    yield chunk;
  }
}

const digests = new Map<number, string>();

/**
 * SHA-256 (hex) of the payload of `bytes` bytes: the upload side of the check. The payload is
 * deterministic, so it is hashed once per size before any timed transfer instead of on the
 * client's CPU during each one; a download is compared against it.
 */
export function payloadSha256(bytes: number): string {
  let digest = digests.get(bytes);
  if (digest === undefined) {
    const hash = createHash('sha256');
    for (const chunk of payloadChunks(bytes)) hash.update(chunk);
    digest = hash.digest('hex');
    digests.set(bytes, digest);
  }
  return digest;
}
