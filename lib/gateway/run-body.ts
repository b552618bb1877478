import type { IncomingMessage } from 'node:http';
import type { Identity } from '@/lib/auth/identity';
import { rejectReservedTags, tagRunCreate, TAG_BEARING_ENDPOINTS } from '@/lib/mlflow/run-tagging';
import { BodyTooLargeError, readSmallBody } from '@/lib/gateway/read-body';

// Run and tag writes are small JSON documents; MLflow itself caps log-batch far below this.
const MAX_INSPECTED_BODY = 4 * 1024 * 1024;

export function inspectsBody(endpoint: string): boolean {
  return TAG_BEARING_ENDPOINTS.has(endpoint);
}

type Inspection = { ok: true; body: Buffer } | { ok: false; code: 'bad_request' | 'payload_too_large'; message: string };

/** Reads a tag-bearing body, refuses client `descope.*` tags, and stamps run creation with the caller. */
export async function inspectRunBody(req: IncomingMessage, endpoint: string, identity: Identity): Promise<Inspection> {
  let raw: Buffer;
  try {
    raw = await readSmallBody(req, MAX_INSPECTED_BODY);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { ok: false, code: 'payload_too_large', message: `${endpoint} bodies are limited to ${MAX_INSPECTED_BODY} bytes` };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, code: 'bad_request', message: `${endpoint} expects a JSON body` };
  }
  const reserved = rejectReservedTags(endpoint, parsed);
  if (reserved) return { ok: false, code: 'bad_request', message: reserved };
  if (endpoint !== 'runs/create') return { ok: true, body: raw };
  const tagged = tagRunCreate(parsed, identity);
  if (!tagged.ok) return { ok: false, code: 'bad_request', message: tagged.message };
  return { ok: true, body: Buffer.from(JSON.stringify(tagged.body)) };
}
