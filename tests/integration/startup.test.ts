import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../tools/local-stack/mlflow';
import { freePort } from '../../tools/local-stack/wait';

/** Runs a server with a bad configuration; it must stop by itself, saying why in one line. */
async function startWithBadConfig(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  return new Promise((done) => {
    const child = spawn(resolve(repoRoot, command), args, {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        DESCOPE_PROJECT_ID: 'P2good',
        DESCOPE_DEFAULT_PERMISSION: 'WRITE',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe('a bad configuration stops the server at start, on both servers', () => {
  for (const [server, command, args] of [
    ['custom server', 'node_modules/.bin/tsx', ['server.ts']],
    ['next start', 'node_modules/.bin/next', ['start']],
  ] as const) {
    it(
      server,
      async () => {
        const { code, output } = await startWithBadConfig(command, [...args]);
        expect(code).toBe(1);
        expect(output).toContain('Configuration error: DESCOPE_DEFAULT_PERMISSION is invalid ("WRITE"): use one of NONE, READ, EDIT, MANAGE');
      },
      40_000,
    );
  }
});
