import type { Identity } from '@/lib/auth/identity';
import { EXPERIMENT_TAG_ENDPOINTS, RUN_ENDPOINTS } from '@/lib/mlflow/endpoint-table';

/** Tags under this prefix are written by the portal only; clients may neither set nor delete them. */
export const RESERVED_TAG_PREFIX = 'descope.';
/** The tag MLflow's client and UI read as a run's user; the portal overwrites what the client sent. */
export const MLFLOW_USER_TAG = 'mlflow.user';
/** MLflow's MAX_TAG_VAL_LENGTH, counted in code points as MLflow (Python) counts it. */
export const MAX_TAG_VALUE_LENGTH = 8000;

/** Endpoints whose JSON body names run or experiment tags: the only bodies the gateway inspects. */
export const TAG_BEARING_ENDPOINTS: ReadonlySet<string> = new Set([
  RUN_ENDPOINTS.create,
  RUN_ENDPOINTS.setTag,
  RUN_ENDPOINTS.deleteTag,
  RUN_ENDPOINTS.logBatch,
  RUN_ENDPOINTS.createPromptlabRun,
  EXPERIMENT_TAG_ENDPOINTS.create,
  EXPERIMENT_TAG_ENDPOINTS.setTag,
  EXPERIMENT_TAG_ENDPOINTS.deleteTag,
]);

type JsonObject = Record<string, unknown>;
interface Tag {
  key: string;
  value: string;
}

/**
 * Refuses a tag-bearing body that names a `descope.*` tag (compared trimmed and case-insensitive,
 * so look-alike spellings are refused too). Returns the error message, or null when the body may
 * pass. Single-tag bodies (`{run_id, key, value}`, `{run_id, key}`) and tag lists (`tags: [{key,
 * value}]`) are both checked; anything MLflow would not read as a tag is left to MLflow to refuse.
 */
export function rejectReservedTags(endpoint: string, body: unknown): string | null {
  if (!TAG_BEARING_ENDPOINTS.has(endpoint)) return null;
  const message = asObject(decodeLegacyBody(body));
  if (!message) return null;
  const listed: readonly unknown[] = Array.isArray(message.tags) ? message.tags : [];
  const keys = [message.key, ...listed.map((tag) => asObject(tag)?.key)];
  const reserved = keys.find((key): key is string => typeof key === 'string' && isReserved(key));
  return reserved === undefined ? null : reservedMessage(reserved);
}

/**
 * Stamps a CreateRun body with the caller: `user_id` and the `mlflow.user` tag become the user
 * name (MLflow's UI shows them; the server never overwrites what a client sends), and the
 * `descope.*` tags record who created the run; a tag with nothing to say (no email, no tenant) is
 * left out rather than written empty. A client-sent `descope.*` tag is refused.
 */
export function tagRunCreate(body: unknown, identity: Identity): { ok: true; body: JsonObject } | { ok: false; message: string } {
  const message = asObject(decodeLegacyBody(body));
  if (!message) return { ok: false, message: 'runs/create expects a JSON object body' };
  const tags = readTags(message.tags);
  if (tags === null) return { ok: false, message: 'runs/create: "tags" must be a list of {"key": string, "value": string}' };
  const reserved = tags.find((tag) => isReserved(tag.key));
  if (reserved) return { ok: false, message: reservedMessage(reserved.key) };

  // Protobuf JSON also accepts the camelCase `userId`; MLflow refuses a body carrying both spellings.
  const rest: JsonObject = { ...message };
  delete rest.userId;
  const stamped: Tag[] = [
    { key: MLFLOW_USER_TAG, value: identity.username },
    { key: `${RESERVED_TAG_PREFIX}user_id`, value: identity.userId },
    { key: `${RESERVED_TAG_PREFIX}username`, value: identity.username },
    { key: `${RESERVED_TAG_PREFIX}email`, value: identity.email },
    { key: `${RESERVED_TAG_PREFIX}name`, value: identity.name },
    { key: `${RESERVED_TAG_PREFIX}roles`, value: identity.roles.join(',') },
    { key: `${RESERVED_TAG_PREFIX}permissions`, value: identity.permissions.join(',') },
    { key: `${RESERVED_TAG_PREFIX}tenants`, value: identity.tenants.join(',') },
  ];
  const kept = tags.filter((tag) => tag.key !== MLFLOW_USER_TAG);
  // An empty tag says nothing (Descope projects rarely use permissions, most users have no tenant).
  const said = stamped.filter((tag) => tag.value !== '');
  const out = [...kept, ...said.map((tag) => ({ key: tag.key, value: truncateTagValue(tag.value) }))];
  return { ok: true, body: { ...rest, user_id: identity.username, tags: out } };
}

/** Cuts a value to MLflow's limit without splitting a surrogate pair. */
export function truncateTagValue(value: string): string {
  if (value.length <= MAX_TAG_VALUE_LENGTH) return value; // UTF-16 units >= code points
  return Array.from(value).slice(0, MAX_TAG_VALUE_LENGTH).join('');
}

function isReserved(key: string): boolean {
  return key.trim().toLowerCase().startsWith(RESERVED_TAG_PREFIX);
}

function reservedMessage(key: string): string {
  return `Tag "${key.slice(0, 250)}" is reserved: keys starting with "${RESERVED_TAG_PREFIX}" are set by the portal only`;
}

/** MLflow decodes a body that is a JSON string a second time (older clients double-encode). */
function decodeLegacyBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

/** The client's tags, or null when they are not a list of string key/value pairs. */
function readTags(raw: unknown): Tag[] | null {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return null;
  const tags: Tag[] = [];
  for (const entry of raw as readonly unknown[]) {
    const tag = asObject(entry);
    if (!tag || typeof tag.key !== 'string' || (tag.value !== undefined && typeof tag.value !== 'string')) return null;
    tags.push({ key: tag.key, value: typeof tag.value === 'string' ? tag.value : '' });
  }
  return tags;
}
