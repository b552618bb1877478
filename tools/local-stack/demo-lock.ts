import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const lockSchema = z.object({ pid: z.number().int().positive(), portalUrl: z.string(), startedAt: z.string() });
export type RunningDemo = z.infer<typeof lockSchema>;

const lockFile = (dataDir: string) => resolve(dataDir, 'demo.json');

/** npm run demo says it is running, so `npm test` can warn before rebuilding the .next it serves. */
export function recordRunningDemo(dataDir: string, demo: RunningDemo): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(lockFile(dataDir), `${JSON.stringify(demo)}\n`);
}

export function clearRunningDemo(dataDir: string, pid: number): void {
  if (runningDemo(dataDir)?.pid === pid) rmSync(lockFile(dataDir), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The demo running from this checkout, if any; a lock left by a demo that died does not count. */
export function runningDemo(dataDir: string): RunningDemo | undefined {
  if (!existsSync(lockFile(dataDir))) return undefined;
  let parsed;
  try {
    parsed = lockSchema.safeParse(JSON.parse(readFileSync(lockFile(dataDir), 'utf8')));
  } catch {
    return undefined;
  }
  return parsed.success && alive(parsed.data.pid) ? parsed.data : undefined;
}

/** What `npm test` prints when its production build would replace a running demo's .next. */
export function demoBuildWarning(dataDir: string): string | undefined {
  const demo = runningDemo(dataDir);
  if (!demo) return undefined;
  return `WARNING: npm run demo is running from this checkout (pid ${demo.pid}, ${demo.portalUrl}) and serves its .next; the production build stage rebuilds .next underneath it, and its pages break until it restarts. Stop the demo first, or run only other stages (e.g. npm test -- unit).`;
}
