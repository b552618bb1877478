import { appendFile, open } from 'node:fs/promises';
import { getConfig } from '@/lib/config';
import { log, redact } from '@/lib/observability/log';

export interface AuditEvent {
  /** Who: the acting user's id and name. */
  actorId: string;
  actor: string;
  /** What: e.g. `mlflow.runs/create`, `admin.role.add`. */
  action: string;
  /** On what: a normalised MLflow path, or the user whose roles changed. */
  target: string;
  result: 'success' | 'failure' | 'denied';
  status?: number;
  detail?: string;
}

export type AuditRecord = AuditEvent & { time: string };

// The in-process memory of recent events, for the admin page when the trail goes to stdout.
const RING_SIZE = 500;
const ring: AuditRecord[] = [];
// Appends are chained so lines keep their order and a reader can wait for the ones in flight;
// events arriving while a write is pending wait in `queued` and go out together in the next one.
let pendingWrite: Promise<void> = Promise.resolve();
let queued: string[] = [];

/**
 * The audit trail: every mutating MLflow call and every admin change, as JSON lines on stdout
 * (tagged `audit`) or appended to the file named by PORTAL_AUDIT_LOG. A failing audit write is
 * reported on stdout, never thrown into the request that caused it.
 */
export function audit(event: AuditEvent): void {
  const entry: AuditRecord = { time: new Date().toISOString(), ...event, detail: event.detail && redact(event.detail) };
  ring.push(entry);
  if (ring.length > RING_SIZE) ring.splice(0, ring.length - RING_SIZE);
  const destination = getConfig().auditLog;
  if (destination === 'stdout') {
    process.stdout.write(`${JSON.stringify({ ...entry, level: 'info', event: 'audit', action: event.action })}\n`);
    return;
  }
  queued.push(`${JSON.stringify(entry)}\n`);
  // Only the first event of a batch schedules a write; later ones ride along with it. So a busy
  // portal opens the file once per batch, not once per mutating request, and the file is still
  // opened by name each time (log rotation keeps working).
  if (queued.length > 1) return;
  pendingWrite = pendingWrite
    .then(() => {
      const batch = queued.join('');
      queued = [];
      return appendFile(destination, batch);
    })
    .catch((error: unknown) => {
      log('error', 'audit.write_failed', { destination, error: error instanceof Error ? error.message : String(error) });
    });
}

export interface AuditQuery {
  /** Keep events whose action starts with one of these, e.g. `admin.`. */
  actionPrefixes: string[];
  target?: string;
  limit: number;
}

// Enough tail to find recent admin changes among many MLflow write events, without reading it all.
const TAIL_BYTES = 1024 * 1024;

/**
 * The newest matching events, newest first: from the tail of the PORTAL_AUDIT_LOG file when it is a
 * path (so every portal instance's changes show), else from this process's memory.
 */
export async function recentAuditEvents(query: AuditQuery): Promise<AuditRecord[]> {
  const destination = getConfig().auditLog;
  const records = destination === 'stdout' ? ring : await readTail(destination);
  const matches = records.filter(
    (record) => query.actionPrefixes.some((prefix) => record.action.startsWith(prefix)) && (query.target === undefined || record.target === query.target),
  );
  return matches.slice(-query.limit).reverse();
}

async function readTail(path: string): Promise<AuditRecord[]> {
  await pendingWrite;
  let text: string;
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const start = Math.max(0, size - TAIL_BYTES);
      const buffer = Buffer.alloc(size - start);
      await file.read(buffer, 0, buffer.length, start);
      // The first line of a partial tail is cut; drop it.
      text = buffer.subarray(start > 0 ? buffer.indexOf(10) + 1 : 0).toString('utf8');
    } finally {
      await file.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      const record = JSON.parse(line) as Partial<AuditRecord>;
      return typeof record.action === 'string' && typeof record.time === 'string' ? [record as AuditRecord] : [];
    } catch {
      return [];
    }
  });
}
