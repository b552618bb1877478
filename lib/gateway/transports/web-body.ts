import type { Readable } from 'node:stream';

const CUT_SHORT = 'the upstream body ended before it was complete';

/**
 * A web ReadableStream over a Node stream that pulls: each pull takes what the source has
 * buffered at that moment as one chunk, and the source is read no further than its own
 * high-water mark until the consumer asks (it stays paused: backpressure reaches the upstream
 * socket). Measured on `next start` (1 GiB down, trivial upstream): about 30 % less CPU than `Readable.toWeb`, whose per-chunk enqueue sends
 * every 64 KiB socket read through Next's promise-per-chunk writer; when the client is the slow
 * side, chunks here grow instead of multiplying. A source that ends early or fails errors the
 * stream (the client sees a cut body, never a short one passed off as whole); cancel destroys it.
 */
export function pullingWebStream(source: Readable): ReadableStream<Uint8Array> {
  let wake: (() => void) | undefined;
  // A source that is already over when handed in sends no more events: start from its state.
  let ended = source.readableEnded;
  let failure: Error | undefined = source.errored ?? (source.destroyed && !ended ? new Error(CUT_SHORT) : undefined);
  const notify = () => wake?.();
  source.on('readable', notify);
  source.once('end', () => {
    ended = true;
    notify();
  });
  source.once('error', (error: Error) => {
    failure ??= error;
    notify();
  });
  source.once('close', () => {
    if (!ended) failure ??= new Error(CUT_SHORT);
    notify();
  });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          const chunk = source.read() as Buffer | null;
          if (chunk !== null) return controller.enqueue(chunk);
          if (ended) return controller.close();
          if (failure) return controller.error(failure);
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      },
      cancel() {
        source.destroy();
      },
    },
    // Nothing queued ahead: a pull happens only when the consumer reads.
    { highWaterMark: 0 },
  );
}
