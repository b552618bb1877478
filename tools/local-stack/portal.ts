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

/** Which server runs the build: the custom server (`npm start`) or Next's own (`npm run start:next`). */
export type PortalServerKind = 'custom-server' | 'next-start';

const commands: Record<PortalServerKind, [string, string[]]> = {
  'custom-server': ['node_modules/.bin/tsx', ['server.ts']],
  'next-start': ['node_modules/.bin/next', ['start', '--hostname', '127.0.0.1']],
};

/** The command line (absolute executable, arguments) that runs the build with one of the two servers. */
export function portalCommand(server: PortalServerKind): [string, string[]] {
  const [command, args] = commands[server];
  return [resolve(repoRoot, command), [...args]];
}

/** Starts the built portal (production mode) as its own process. */
export async function startPortal(options: {
  port: number;
  env: Record<string, string>;
  inheritOutput?: boolean;
  portClaim?: PortClaim;
  server?: PortalServerKind;
}): Promise<PortalProcess> {
  let output = '';
  const [command, args] = portalCommand(options.server ?? 'custom-server');
  const child = spawn(command, args, {
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
