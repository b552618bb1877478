import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { demoOptions } from '@/tools/local-stack/demo-options';
import { assertPortsFree, PortBusyError } from '@/tools/local-stack/ports';
import { freePort } from '@/tools/local-stack/wait';

const listeners: Server[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** Something else already listening on a loopback port, as the user's own MLflow would. */
async function occupy(): Promise<number> {
  const server = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nOK'));
  listeners.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as { port: number }).port;
}

async function runDemo(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], {
    env: { ...process.env, PORT: '', DEMO_MLFLOW_PORT: '', DEMO_EMULATOR_PORT: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('npm run demo with a port already taken', () => {
  it.each([
    ['MLflow', 'mlflow-port', 'DEMO_MLFLOW_PORT'],
    ['Descope emulator', 'emulator-port', 'DEMO_EMULATOR_PORT'],
    ['portal', 'port', 'PORT'],
  ])(
    'stops before starting anything when the %s port is busy, with one line naming it and how to pick another',
    { timeout: 30_000 },
    async (service, flag, variable) => {
      const busy = await occupy();
      const ports: Record<string, number> = { port: await freePort(), 'mlflow-port': await freePort(), 'emulator-port': await freePort(), [flag]: busy };
      const result = await runDemo(Object.entries(ports).flatMap(([name, port]) => [`--${name}`, String(port)]));

      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `npm run demo: port ${busy} (${service}) is already in use on 127.0.0.1: stop what listens there, or choose another port with ${variable}=${busy + 1} or --${flag} ${busy + 1}\n`,
      );
      expect(result.stdout).toBe('');
      // Nothing was started: every other port it was given is still free.
      await expect(
        assertPortsFree(
          Object.entries(ports)
            .filter(([name]) => name !== flag)
            .map(([, port]) => ({ port, service: 'other' })),
        ),
      ).resolves.toBeUndefined();
    },
  );

  it('names the environment variable when the port came from it', { timeout: 30_000 }, async () => {
    const busy = await occupy();
    const result = await runDemo(['--port', String(await freePort()), '--mlflow-port', String(await freePort())], { DEMO_EMULATOR_PORT: String(busy) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port ${busy} (Descope emulator) is already in use`);
    expect(result.stderr).toContain(`DEMO_EMULATOR_PORT=${busy + 1}`);
    expect(result.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  it('refuses a malformed or duplicated port with one line', { timeout: 30_000 }, async () => {
    expect(await runDemo(['--mlflow-port', 'five'])).toMatchObject({
      code: 1,
      stderr: 'npm run demo: --mlflow-port is invalid ("five"): use a port number between 1 and 65535\n',
    });
    const port = String(await freePort());
    const duplicated = await runDemo(['--port', port, '--mlflow-port', port]);
    expect(duplicated.code).toBe(1);
    expect(duplicated.stderr).toMatch(new RegExp(`^npm run demo: port ${port} is set for both portal and MLflow: give each its own port`));
  });
});

describe('demoOptions', () => {
  it('defaults to 3000, 5000 and 4400; flags beat the environment', () => {
    const defaults = demoOptions([], {});
    expect(defaults).toMatchObject({
      ok: true,
      options: { portalPort: 3000, mlflowPort: 5000, emulatorPort: 4400, workspaces: false, rebuild: false, verbose: false },
    });
    expect(demoOptions(['--workspaces'], {})).toMatchObject({ ok: true, options: { workspaces: true } });
    const chosen = demoOptions(['--mlflow-port', '5100', '--verbose'], { DEMO_MLFLOW_PORT: '5200', PORT: '3300' });
    expect(chosen).toMatchObject({
      ok: true,
      options: { portalPort: 3300, mlflowPort: 5100, verbose: true, howToChange: { mlflow: 'DEMO_MLFLOW_PORT=5101 or --mlflow-port 5101' } },
    });
  });

  it('refuses unknown flags with the usage', () => {
    const parsed = demoOptions(['--mlflow', '1'], {});
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain('usage: npm run demo');
  });
});

describe('assertPortsFree', () => {
  it('throws PortBusyError naming the service for a taken port, and passes free ones and port 0', async () => {
    const busy = await occupy();
    await expect(
      assertPortsFree([
        { port: 0, service: 'any' },
        { port: await freePort(), service: 'free' },
      ]),
    ).resolves.toBeUndefined();
    const error = await assertPortsFree([{ port: busy, service: 'MLflow', howToChange: 'X=1' }]).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(PortBusyError);
    expect((error as Error).message).toBe(`port ${busy} (MLflow) is already in use on 127.0.0.1: stop what listens there, or choose another port with X=1`);
  });
});
