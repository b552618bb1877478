import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearRunningDemo, demoBuildWarning, recordRunningDemo, runningDemo } from '@/tools/local-stack/demo-lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'demo-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the running-demo lock that npm test checks', () => {
  it('warns while a demo from this checkout is running, naming it and what to do', () => {
    expect(demoBuildWarning(dir)).toBeUndefined();
    recordRunningDemo(dir, { pid: process.pid, portalUrl: 'http://127.0.0.1:3000', startedAt: new Date().toISOString() });
    expect(runningDemo(dir)?.pid).toBe(process.pid);
    expect(demoBuildWarning(dir)).toBe(
      `WARNING: npm run demo is running from this checkout (pid ${process.pid}, http://127.0.0.1:3000) and serves its .next; the production build stage rebuilds .next underneath it, and its pages break until it restarts. Stop the demo first, or run only other stages (e.g. npm test -- unit).`,
    );
    clearRunningDemo(dir, process.pid);
    expect(demoBuildWarning(dir)).toBeUndefined();
  });

  it('ignores a lock left by a demo that died, and an unreadable one', () => {
    const { pid } = spawnSync(process.execPath, ['-e', '0']);
    recordRunningDemo(dir, { pid: pid!, portalUrl: 'http://127.0.0.1:3000', startedAt: '' });
    expect(runningDemo(dir)).toBeUndefined();
    writeFileSync(join(dir, 'demo.json'), '{not json');
    expect(demoBuildWarning(dir)).toBeUndefined();
  });
});
