/** Full-jitter exponential backoff: attempt n waits a random time in [0, base·2ⁿ), capped. */
export function backoffDelayMs(attempt: number, baseMs = 100, capMs = 2_000, random = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
