import type { Identity } from '@/lib/auth/identity';
import { rejectReservedTags, tagRunCreate, TAG_BEARING_ENDPOINTS } from '@/lib/mlflow/run-tagging';

// Run and tag writes are small JSON documents; MLflow itself caps log-batch far below this.
export const MAX_INSPECTED_BODY = 4 * 1024 * 1024;

export function inspectsBody(endpoint: string): boolean {
  return TAG_BEARING_ENDPOINTS.has(endpoint);
}

type Inspection = { ok: true; body: Buffer } | { ok: false; code: 'bad_request'; message: string };

/** Checks a tag-bearing body: refuses client `descope.*` tags and stamps run creation with the caller. */
export function inspectRunBody(raw: Buffer, endpoint: string, identity: Identity): Inspection {
  let parsed: unknown;
  try {
    parsed = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, code: 'bad_request', message: `${endpoint} expects a JSON body` };
  }
  const reserved = rejectReservedTags(endpoint, parsed);
  if (reserved) return { ok: false, code: 'bad_request', message: reserved };
  if (endpoint !== 'runs/create' && endpoint !== 'runs/create-promptlab-run') return { ok: true, body: raw };
  const tagged = tagRunCreate(parsed, identity);
  if (!tagged.ok) return { ok: false, code: 'bad_request', message: tagged.message };
  return { ok: true, body: Buffer.from(JSON.stringify(tagged.body)) };
}
