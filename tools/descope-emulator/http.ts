import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

// Descope's own codes where the SDK names one (DescopeErrors), emulator-chosen ones otherwise.
export const errorCodes = {
  badRequest: 'E011001',
  invalidArguments: 'E011004',
  userNotFound: 'E062108',
  unauthorized: 'E061004',
  notFound: 'E011404',
  tooLarge: 'E011413',
  unavailable: 'E011503',
  internal: 'E011500',
} as const;

/** Every failure the emulator answers: Descope's error body, `{errorCode, errorDescription, errorMessage}`. */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorDescription: string,
    message = errorDescription,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new EmulatorError(400, errorCodes.badRequest, 'Bad request', message);
export const invalidArguments = (message: string) => new EmulatorError(400, errorCodes.invalidArguments, 'Invalid arguments', message);
export const unauthorized = (message: string) => new EmulatorError(401, errorCodes.unauthorized, 'Unauthorized', message);
export const notFound = (message: string) => new EmulatorError(404, errorCodes.notFound, 'Not found', message);

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const known = error instanceof EmulatorError ? error : new EmulatorError(500, errorCodes.internal, 'Internal error', 'the emulator failed unexpectedly');
  if (!(error instanceof EmulatorError)) console.error('descope-emulator: unexpected error', error);
  sendJson(res, known.status, { errorCode: known.errorCode, errorDescription: known.errorDescription, errorMessage: known.message });
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole body; past the limit it keeps draining (so the client still gets its 413) but stores nothing. */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
  } catch {
    throw badRequest('the request body could not be read');
  }
  if (size > MAX_BODY_BYTES) throw new EmulatorError(413, errorCodes.tooLarge, 'Request body too large', `bodies are limited to ${MAX_BODY_BYTES} bytes`);
  return Buffer.concat(chunks).toString('utf8');
}

/** The request's path and query; an unparsable request target is a 400, not a crash. */
export function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://emulator.invalid');
  } catch {
    throw badRequest('the request target is not a valid URL');
  }
}

/** Parses the JSON body (empty counts as `{}`) and validates it against the endpoint's schema. */
export async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const text = await readBody(req);
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw badRequest(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

/**
 * Browser SDKs send credentials, so `*` would be refused: echo the exact origin and allow credentials.
 * Returns true when the request was a preflight and has been answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('vary', 'Origin');
  }
  if (req.method !== 'OPTIONS') return false;
  const methods = req.headers['access-control-request-method'];
  const headers = req.headers['access-control-request-headers'];
  res.setHeader('access-control-allow-methods', methods ?? 'GET, POST, OPTIONS');
  if (headers) res.setHeader('access-control-allow-headers', headers);
  res.setHeader('access-control-max-age', '600');
  res.writeHead(204).end();
  return true;
}
