import { randomUUID } from 'node:crypto';
import { getConfig } from '@/lib/config';
import { decide } from '@/lib/auth/decide';
import { getAuthDeps } from '@/lib/auth/runtime';
import { decisionRequestFromNext } from '@/lib/auth/next-guard';
import { relativeRedirect } from '@/lib/auth/login-response';
import { errorResponse, type ErrorCode } from '@/lib/errors';
import { permissionFor } from '@/lib/mlflow/permissions';
import { encodePath, normalizePath } from '@/lib/gateway/normalize-path';
import { inspectRunBody, inspectsBody } from '@/lib/gateway/run-body';
import { forwardBuffered, UpstreamTimeoutError } from '@/lib/gateway/buffered-forward';

// Vercel caps function request bodies at 4.5 MB; beyond that it would cut the upload, so we refuse first.
export const VERCEL_BODY_LIMIT = 4_500_000;

function failure(request: Request, code: ErrorCode, message: string, setCookies: string[] = []): Response {
  return errorResponse(code, message, request.headers.get('accept'), setCookies);
}

async function readCapped(request: Request, limit: number): Promise<Buffer | 'too-large'> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) return 'too-large';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return 'too-large';
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * For answers sent before the request body was read (refusals, redirects, the size cap): the rest of
 * an upload is still on the wire, unread, so this connection cannot carry another request. Saying
 * so stops a keep-alive client from queueing its next request behind the unread body.
 */
function closingIfBodyUnread(request: Request, response: Response): Response {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > 0 || request.headers.has('transfer-encoding')) response.headers.set('connection', 'close');
  return response;
}

/**
 * /mlflow/* without the custom server (Vercel): the same decision, permission table, run tagging
 * and header rules as server.ts, with the body capped and complete before anything goes upstream.
 */
export async function handleMlflowRoute(request: Request): Promise<Response> {
  const config = getConfig();
  const url = new URL(request.url);
  const normalized = normalizePath(`${url.pathname}${url.search}`);
  if (!normalized.ok) return closingIfBodyUnread(request, failure(request, 'bad_request', `malformed request path: ${normalized.reason}`));
  if (normalized.path === '/mlflow') return closingIfBodyUnread(request, relativeRedirect(`/mlflow/${normalized.query}`, 308));
  const upstreamPath = normalized.path.replace(/^\/mlflow/, '') || '/';
  const { permission, endpoint } = permissionFor(request.method, upstreamPath);
  const decision = await decide(decisionRequestFromNext(request, `${url.pathname}${url.search}`), { permission }, getAuthDeps());
  if (decision.type === 'redirect') return closingIfBodyUnread(request, relativeRedirect(decision.location, 302));
  if (decision.type === 'deny') return closingIfBodyUnread(request, failure(request, decision.code, decision.message, decision.setCookies));

  const limit = config.maxBodyBytes ?? VERCEL_BODY_LIMIT;
  let body = await readCapped(request, limit);
  if (body === 'too-large') {
    const refused = failure(request, 'payload_too_large', `request bodies are limited to ${limit} bytes in this deployment; log large artifacts with MLflow's presigned multipart upload (see README, "Vercel")`, decision.setCookies);
    return closingIfBodyUnread(request, refused);
  }
  if (endpoint && inspectsBody(endpoint)) {
    const inspected = inspectRunBody(body, endpoint, decision.identity);
    if (!inspected.ok) return failure(request, inspected.code, inspected.message, decision.setCookies);
    body = inspected.body;
  }
  try {
    return await forwardBuffered(config, {
      method: request.method,
      target: `${encodePath(upstreamPath)}${normalized.query}`,
      headers: Object.fromEntries(request.headers),
      body: body.length > 0 ? body : undefined,
      identity: decision.identity,
      clientIp: request.headers.get('x-real-ip') ?? '',
      secure: url.protocol === 'https:',
      requestId: randomUUID(),
      setCookies: decision.setCookies,
    });
  } catch (error) {
    if (error instanceof UpstreamTimeoutError) return failure(request, 'upstream_timeout', `MLflow did not answer within ${config.upstreamTimeoutMs} ms`);
    return failure(request, 'upstream_unavailable', 'the MLflow server could not be reached; try again shortly');
  }
}
