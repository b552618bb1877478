import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../tools/local-stack/mlflow';
import { portalCommand, type PortalServerKind } from '../../tools/local-stack/portal';
import { freePort } from '../../tools/local-stack/wait';

/** Runs a server with a bad configuration; it must stop by itself, saying why in one line. */
async function startWithBadConfig(server: PortalServerKind): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const [command, args] = portalCommand(server);
  return new Promise((done) => {
    const child = spawn(command, args, {
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
  for (const [name, server] of [
    ['custom server', 'custom-server'],
    ['next start', 'next-start'],
  ] as const) {
    it(
      name,
      async () => {
        const { code, output } = await startWithBadConfig(server);
        expect(code).toBe(1);
        expect(output).toContain('Configuration error: DESCOPE_DEFAULT_PERMISSION is invalid ("WRITE"): use one of NONE, READ, EDIT, MANAGE');
      },
      40_000,
    );
  }
});
