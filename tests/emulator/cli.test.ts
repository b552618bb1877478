import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const CLI = 'tools/descope-emulator/cli.ts';

function runCli(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, NODE_ENV: 'development', ...env } });
}

async function failure(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const child = runCli(args, env);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('npm run emulator', () => {
  it('prints one listening line, serves the configured project, and stops on SIGTERM', { timeout: 30_000 }, async () => {
    const child = runCli(['--port', '0', '--project-id', 'P2clitest', '--management-key', 'cli-key']);
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const match = /^descope-emulator listening on (http:\/\/127\.0\.0\.1:\d+) \(project P2clitest\)$/.exec(line);
      expect(match).not.toBeNull();
      const url = match![1];
      expect((await fetch(`${url}/v2/keys/P2clitest`)).status).toBe(200);
      const license = await fetch(`${url}/v1/mgmt/license`, { headers: { authorization: 'Bearer P2clitest:cli-key' } });
      expect(license.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('falls back to DESCOPE_PROJECT_ID from the environment', { timeout: 30_000 }, async () => {
    const child = runCli(['--port', '0'], { DESCOPE_PROJECT_ID: 'P2fromenv' });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      expect(line).toMatch(/\(project P2fromenv\)$/);
    } finally {
      child.kill('SIGTERM');
    }
    await once(child, 'exit');
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number/],
    [['--port', '70000'], /--port is too large/],
    [['--colour', 'blue'], /Unknown option '--colour'/],
    [['--session-ttl', '0'], /--session-ttl is too small/],
  ])('exits 1 with a one-line message for %j', { timeout: 30_000 }, async (args, message) => {
    const { code, stderr } = await failure(args);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('exits 1 under NODE_ENV=production', { timeout: 30_000 }, async () => {
    const { code, stderr } = await failure(['--port', '0'], { NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('descope-emulator: the Descope emulator is a dev/test tool and refuses to run with NODE_ENV=production');
  });
});
