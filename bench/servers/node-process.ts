import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from '../../tools/local-stack/mlflow';

export interface NodeServer {
  process: ChildProcess;
  /** The server's own pid (node runs the script itself, no launcher in between). */
  pid: number;
  output(): string;
}

/**
 * Runs a TypeScript server as `node --import tsx <script>` and resolves once it printed a line
 * starting with `ready`. Its stdout after that is discarded unless `keepOutput` (request logs
 * still cost the portal what they cost in production: they are written, then dropped).
 */
export function startNodeServer(script: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<NodeServer> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', resolve(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let ready = false;
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${script} did not start within 60 s\n${output.slice(-2000)}`));
    }, 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (ready) return;
      output += chunk.toString();
      if (/^ready/m.test(output)) {
        ready = true;
        clearTimeout(timer);
        done({ process: child, pid: child.pid ?? 0, output: () => output });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
    child.once('exit', (code) => {
      if (ready) return;
      clearTimeout(timer);
      fail(new Error(`${script} exited with ${code} before it was ready\n${output.slice(-2000)}`));
    });
  });
}
