/**
 * Runs `task` over `items` with at most `limit` in flight and resolves the results in item
 * order. The first failure rejects, after the tasks already running have settled, so nothing is
 * left writing to a server the caller is about to stop.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  async function lane(): Promise<void> {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
  return results;
}

/** A gate that lets at most `limit` calls of `start` run at once (e.g. servers starting up on 2 cores). */
export function limiter(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(start: () => Promise<T>): Promise<T> => {
    // A finished call hands its slot straight to the next in line, so `running` never exceeds `limit`.
    if (running < limit) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await start();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
