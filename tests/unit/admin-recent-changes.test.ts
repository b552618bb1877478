import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuditSink } from '@/lib/observability/audit';

function auditModule(destination: string) {
  const sink = createAuditSink(destination, () => undefined);
  return { audit: sink.record, recentAuditEvents: sink.recent };
}

const event = (action: string, target: string, detail = '') => ({
  actorId: 'U1',
  actor: 'admin@example.com',
  action,
  target,
  result: 'success' as const,
  detail,
});

afterEach(() => vi.restoreAllMocks());

describe('recent audit events for the admin page', () => {
  it("reads the audit file's tail, newest first, filtered by action prefix and target", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.log');
    const { audit, recentAuditEvents } = auditModule(file);
    audit(event('mlflow.runs/create', '/api/2.0/mlflow/runs/create'));
    audit(event('admin.role.add', 'reader@example.com', 'mlflow-editor (project)'));
    audit(event('accesskey.create', 'editor@example.com', '"ci" K2x'));
    audit(event('admin.role.remove', 'norole@example.com', 'mlflow-reader (project)'));
    const recent = await recentAuditEvents({ actionPrefixes: ['admin.', 'accesskey.'], limit: 10 });
    expect(recent.map((record) => record.action)).toEqual(['admin.role.remove', 'accesskey.create', 'admin.role.add']);
    expect(recent[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
    const forReader = await recentAuditEvents({ actionPrefixes: ['admin.'], target: 'reader@example.com', limit: 10 });
    expect(forReader).toMatchObject([{ detail: 'mlflow-editor (project)' }]);
    expect(await recentAuditEvents({ actionPrefixes: ['admin.', 'accesskey.'], limit: 2 })).toHaveLength(2);
  });

  it('skips a cut first line and foreign lines in a large file, and treats a missing file as empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const file = join(dir, 'audit.log');
    const filler = `${JSON.stringify({ ...event('mlflow.runs/log-metric', '/x'), time: new Date().toISOString(), detail: 'é'.repeat(300) })}\n`;
    writeFileSync(file, `${filler.repeat(4000)}not json\n${JSON.stringify({ ...event('admin.role.add', 'a@example.com'), time: new Date().toISOString() })}\n`);
    const { recentAuditEvents } = auditModule(file);
    expect((await recentAuditEvents({ actionPrefixes: ['admin.'], limit: 5 })).map((record) => record.target)).toEqual(['a@example.com']);
    const missing = auditModule(join(dir, 'absent.log'));
    expect(await missing.recentAuditEvents({ actionPrefixes: ['admin.'], limit: 5 })).toEqual([]);
  });

  it('writes a burst of events completely and in order (batched appends)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.log');
    const { audit, recentAuditEvents } = auditModule(file);
    for (let i = 0; i < 50; i += 1) audit(event('admin.role.add', `user-${i}@example.com`));
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let i = 50; i < 60; i += 1) audit(event('admin.role.add', `user-${i}@example.com`));
    const recent = await recentAuditEvents({ actionPrefixes: ['admin.'], limit: 100 });
    expect(recent.map((record) => record.target)).toEqual(Array.from({ length: 60 }, (_, i) => `user-${59 - i}@example.com`));
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(60);
  });

  it('keeps recent events in memory when the trail goes to stdout', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { audit, recentAuditEvents } = auditModule('stdout');
    audit(event('admin.role.add', 'reader@example.com', 'token=abc123'));
    expect(write).toHaveBeenCalledOnce();
    expect(await recentAuditEvents({ actionPrefixes: ['admin.'], limit: 5 })).toMatchObject([{ target: 'reader@example.com', detail: 'token=[redacted]' }]);
  });
});
