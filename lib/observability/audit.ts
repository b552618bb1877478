import { appendFile } from 'node:fs/promises';
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

/**
 * The audit trail: every mutating MLflow call and every admin change, as JSON lines on stdout
 * (tagged `audit`) or appended to the file named by PORTAL_AUDIT_LOG. A failing audit write is
 * reported on stdout, never thrown into the request that caused it.
 */
export function audit(event: AuditEvent): void {
  const entry = { time: new Date().toISOString(), ...event, detail: event.detail && redact(event.detail) };
  const destination = getConfig().auditLog;
  if (destination === 'stdout') {
    process.stdout.write(`${JSON.stringify({ ...entry, level: 'info', event: 'audit', action: event.action })}\n`);
    return;
  }
  appendFile(destination, `${JSON.stringify(entry)}\n`).catch((error: unknown) => {
    log('error', 'audit.write_failed', { destination, error: error instanceof Error ? error.message : String(error) });
  });
}
