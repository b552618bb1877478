import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@/tools/descope-emulator/server';
import { MANAGEMENT_KEY, PROJECT_ID, sdkFor } from './support';

let dir: string;
let stateFile: string;
const running: Emulator[] = [];
const start = async ({ persist = true } = {}) => {
  const emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY, stateFile: persist ? stateFile : undefined });
  running.push(emulator);
  return emulator;
};
const stop = async (emulator: Emulator) => {
  running.splice(running.indexOf(emulator), 1);
  await emulator.close();
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
  stateFile = join(dir, 'descope-emulator.json');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('emulator state file', () => {
  it('keeps access keys, role changes and user status across a restart', async () => {
    const first = await start();
    const sdk = sdkFor(first);
    const { data: editor } = await sdk.management.user.load('editor@example.com');
    const { data: created } = await sdk.management.accessKey.create('survives', 0, [], undefined, editor!.userId);
    await sdk.management.user.addRoles('editor@example.com', ['mlflow-reader']);
    await sdk.management.user.deactivate('norole@example.com');
    await stop(first);

    const second = await start();
    const again = sdkFor(second);
    const exchanged = await again.exchangeAccessKey(created!.cleartext);
    expect(exchanged.token.sub).toBe(created!.key.id);
    expect((await again.management.user.load('editor@example.com')).data?.roleNames).toEqual(['mlflow-editor', 'mlflow-reader']);
    expect((await again.management.user.load('norole@example.com')).data?.status).toBe('disabled');
    // Deleting a key is saved too.
    expect((await again.management.accessKey.delete(created!.key.id)).ok).toBe(true);
    await stop(second);
    const third = await start();
    await expect(sdkFor(third).exchangeAccessKey(created!.cleartext)).rejects.toThrow(/access key/);
  });

  it('saves atomically: a versioned file, the key only as a hash, no temp file left behind', async () => {
    const emulator = await start();
    const { data } = await sdkFor(emulator).management.accessKey.create('hashed', 0, ['mlflow-reader']);
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ format: 'descope-emulator-state', version: 1, projectId: PROJECT_ID });
    expect(readFileSync(stateFile, 'utf8')).not.toContain(data!.cleartext);
    expect(readdirSync(dir)).toEqual(['descope-emulator.json']);
  });

  it("without a state file, a restart starts from the seed (the tests' default)", async () => {
    const first = await start({ persist: false });
    await sdkFor(first).management.user.addRoles('reader@example.com', ['admin']);
    await stop(first);
    const second = await start({ persist: false });
    expect((await sdkFor(second).management.user.load('reader@example.com')).data?.roleNames).toEqual(['mlflow-reader']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['not JSON', '{"format": "descope-emulator-state", "vers', /it is not readable JSON/],
    ['another format version', JSON.stringify({ format: 'descope-emulator-state', version: 2 }), /it has format version 2; this emulator reads version 1/],
    ['another file', JSON.stringify({ users: [] }), /it is not a descope-emulator-state file/],
    [
      'a broken shape',
      JSON.stringify({ format: 'descope-emulator-state', version: 1, projectId: PROJECT_ID, savedAt: '', users: [{ userId: 'x' }], accessKeys: [] }),
      /it does not have the expected shape/,
    ],
    [
      'another project',
      JSON.stringify({ format: 'descope-emulator-state', version: 1, projectId: 'P2other', savedAt: '', users: [], accessKeys: [] }),
      /it belongs to project P2other/,
    ],
  ])('refuses to start on %s, names the file, and leaves it untouched', async (_what, content, problem) => {
    writeFileSync(stateFile, content);
    const failure = start().then(
      () => 'started',
      (error: unknown) => (error as Error).message,
    );
    const message = await failure;
    expect(message).toMatch(problem);
    expect(message).toContain(`cannot use the saved emulator state ${stateFile}`);
    expect(message).toContain('It was left as it is: fix it, or move it away to start from the bundled users');
    expect(readFileSync(stateFile, 'utf8')).toBe(content);
  });
});
