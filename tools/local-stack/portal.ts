import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot, stopProcess } from './mlflow';
import { PortBusyError, type PortClaim } from './ports';
import { waitForHttp } from './wait';

export interface PortalProcess {
  url: string;
  process: ChildProcess;
  /** Everything the portal printed (JSON log lines), for tests that grep the log. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the built portal (`server.ts`, production mode) as its own process. */
export async function startPortal(options: { port: number; env: Record<string, string>; inheritOutput?: boolean; portClaim?: PortClaim }): Promise<PortalProcess> {
  let output = '';
  const child = spawn(resolve(repoRoot, 'node_modules/.bin/tsx'), ['server.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      HOSTNAME: '127.0.0.1',
      PORT: String(options.port),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.inheritOutput) process.stdout.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHttp(`${url}/auth/login`, 60_000, () => child.exitCode !== null);
  } catch (error) {
    child.kill('SIGKILL');
    if (output.includes('EADDRINUSE')) throw new PortBusyError(options.portClaim ?? { port: options.port, service: 'portal' });
    throw new Error(`the portal did not start: ${(error as Error).message}\n${output.slice(-3000)}`);
  }
  return { url, process: child, output: () => output, stop: () => stopProcess(child) };
}
