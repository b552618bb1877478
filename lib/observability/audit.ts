import { appendFile, open } from 'node:fs/promises';
import { redact, type Logger } from '@/lib/observability/log';

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

export interface AuditQuery {
  /** Keep events whose action starts with one of these, e.g. `admin.`. */
  actionPrefixes: string[];
  target?: string;
  limit: number;
}

export interface AuditSink {
  record(event: AuditEvent): void;
  /** The newest matching events, newest first. */
  recent(query: AuditQuery): Promise<AuditRecord[]>;
}

// The in-process memory of recent events, for the admin page when the trail goes to stdout.
const RING_SIZE = 500;
// Enough tail to find recent admin changes among many MLflow write events, without reading it all.
const TAIL_BYTES = 1024 * 1024;

/**
 * The audit trail: every mutating MLflow call and every admin change, as JSON lines on stdout
 * (tagged `audit`) or appended to the file named by PORTAL_AUDIT_LOG. A failing audit write is
 * reported in the log, never thrown into the request that caused it. Recent events come from the
 * tail of the file when it is a path (so every portal instance's changes show), else from memory.
 */
export function createAuditSink(destination: string, log: Logger, stdout: (text: string) => void = (text) => void process.stdout.write(text)): AuditSink {
  const ring: AuditRecord[] = [];
  // Appends are chained so lines keep their order and a reader can wait for the ones in flight;
  // events arriving while a write is pending wait in `queued` and go out together in the next one.
  let pendingWrite: Promise<void> = Promise.resolve();
  let queued: string[] = [];

  function record(event: AuditEvent): void {
    const entry: AuditRecord = { time: new Date().toISOString(), ...event, detail: event.detail && redact(event.detail) };
    ring.push(entry);
    if (ring.length > RING_SIZE) ring.splice(0, ring.length - RING_SIZE);
    if (destination === 'stdout') {
      stdout(`${JSON.stringify({ ...entry, level: 'info', event: 'audit', action: event.action })}\n`);
      return;
    }
    queued.push(`${JSON.stringify(entry)}\n`);
    // Only the first event of a batch schedules a write; later ones ride along with it. So a busy
    // portal opens the file once per batch, and still by name each time (log rotation keeps working).
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

  async function recent(query: AuditQuery): Promise<AuditRecord[]> {
    if (destination !== 'stdout') await pendingWrite;
    const records = destination === 'stdout' ? ring : await readTail(destination);
    const matches = records.filter(
      (entry) => query.actionPrefixes.some((prefix) => entry.action.startsWith(prefix)) && (query.target === undefined || entry.target === query.target),
    );
    return matches.slice(-query.limit).reverse();
  }

  return { record, recent };
}

async function readTail(path: string): Promise<AuditRecord[]> {
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
      const entry = JSON.parse(line) as Partial<AuditRecord>;
      return typeof entry.action === 'string' && typeof entry.time === 'string' ? [entry as AuditRecord] : [];
    } catch {
      return [];
    }
  });
}
