import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../../tools/local-stack/mlflow';

export interface NodeServer {
  process: ChildProcess;
  /** The server's own pid (node runs the script itself, no launcher in between). */
  pid: number;
}

/**
 * Runs a TypeScript server as `node --import tsx <script>` with its output going to `logFile`,
 * and resolves once it printed a line starting with `ready`. A file, not a pipe to this process:
 * stdout writes to a pipe are synchronous on Linux, so a pipe would tie the server's latency to
 * how quickly the load generator's event loop drains it. The portal's request log is still
 * written, as in production.
 */
export async function startNodeServer(script: string, args: string[], logFile: string, env: Record<string, string> = {}): Promise<NodeServer> {
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const output = readFileSync(logFile, 'utf8');
    if (/^ready/m.test(output)) return { process: child, pid: child.pid ?? 0 };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} ${child.exitCode !== null ? `exited with ${child.exitCode}` : 'did not start within 60 s'}\n${output.slice(-2000)}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}
