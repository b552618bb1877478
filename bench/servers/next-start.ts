import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, stopProcess } from '../../tools/local-stack/mlflow';
import { waitForHttp } from '../../tools/local-stack/wait';
import type { NodeServer } from './node-process';

/**
 * The production build under `next start` (`/mlflow/*` through the App Router route handler), with
 * its output going to `logFile` (a file, not a pipe: see startNodeServer). Ready once /auth/login
 * answers. The pid returned is the process that serves HTTP, the one titled `next-server`: in
 * Next 16.4 that is the launched process itself, but CPU and RSS must never be read from a
 * launcher that forked the server, so it is looked up rather than assumed.
 */
export async function startNextStart(port: number, logFile: string, env: Record<string, string>): Promise<NodeServer> {
  requireNextBuild();
  const fd = openSync(logFile, 'w');
  const child = spawn(join(repoRoot, 'node_modules/.bin/next'), ['start', '--hostname', '127.0.0.1'], {
    cwd: repoRoot,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/auth/login`, 60_000, () => child.exitCode !== null);
    return { process: child, pid: nextServerPid(child.pid ?? 0) };
  } catch (error) {
    await stopProcess(child);
    throw new Error(`next start: ${(error as Error).message}\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
  }
}

/** Fails at once, before anything starts, when there is no production build to run. */
export function requireNextBuild(): void {
  if (!existsSync(join(repoRoot, '.next/BUILD_ID'))) throw new Error('the next start way needs a production build: run `npx next build` first');
}

/** `root` or its first descendant whose command line is Next's `next-server (vX)` title. */
function nextServerPid(root: number): number {
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('next-server')) return pid;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      queue.push(...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    }
  }
  throw new Error(`next start: no process titled next-server under pid ${root}`);
}
