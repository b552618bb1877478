import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Config } from '@/lib/config';
import type { Decision, DecisionRequest, Requirement } from '@/lib/auth/decide';
import type { Identity } from '@/lib/auth/identity';
import type { ErrorCode } from '@/lib/errors';
import { errorAnswer, redirectAnswer, type Answer } from '@/lib/http/answers';
import { permissionMatcher } from '@/lib/mlflow/permissions';
import { portalGate } from '@/lib/mlflow/portal-gate';
import { ASSERTION_HEADER, type AssertionSigner } from '@/lib/gateway/assertion';
import { encodePath, normalizePath } from '@/lib/gateway/normalize-path';
import { requestFraming, type InboundBody } from '@/lib/gateway/framing';
import { upstreamHeaders, type UpstreamBody } from '@/lib/gateway/upstream-headers';
import { MLFLOW_PREFIX } from '@/lib/gateway/response-headers';
import { inspectRunBody, inspectsBody, MAX_INSPECTED_BODY } from '@/lib/gateway/run-body';
import type { BodyLimit, BoundedRead } from '@/lib/gateway/body-limit';
import type { Exchange } from '@/lib/gateway/exchange';
import { callerWorkspaces } from '@/lib/auth/workspace-access';
import type { WorkspaceProvisioner } from '@/lib/mlflow/workspace-provisioner';

/** A call to /mlflow/* as any transport received it, before anything about it is trusted. */
export interface InboundCall {
  /** Method, headers and the raw target (path and query as sent), for the auth decision. */
  decision: DecisionRequest;
  httpVersion: string;
  headers: IncomingHttpHeaders;
  clientIp: string | undefined;
  /** Reads the body into memory, bounded; only called when the plan must see the bytes. */
  readBody(limit: BodyLimit): Promise<BoundedRead>;
}

/** A call to forward: everything the transport sends is decided here. */
export interface UpstreamCall {
  method: string;
  /** Path and query on the upstream server, encoded, with the upstream URL's own base path. */
  path: string;
  /** Final headers, framing included. */
  headers: OutgoingHttpHeaders;
  /** `stream`: the transport pipes the client's body, `length` bytes or chunked as the headers say. */
  body: { kind: 'none' } | { kind: 'buffered'; bytes: Buffer } | { kind: 'stream'; length: number | undefined };
  setCookies: string[];
}

export type { Answer };
export type GatewayPlan = { exchange: Exchange } & ({ kind: 'answer'; answer: Answer } | { kind: 'forward'; call: UpstreamCall });

export interface PlannerDeps {
  config: Pick<
    Config,
    'upstreamUrl' | 'maxBodyBytes' | 'authz' | 'usernameClaim' | 'adminRoles' | 'editorRoles' | 'readerRoles' | 'defaultPermission' | 'workspaces'
  >;
  decide(request: DecisionRequest, requirement: Requirement): Promise<Decision>;
  /** Signs X-Descope-Assertion; present exactly when PORTAL_AUTHZ=mlflow. */
  assertions?: AssertionSigner;
  /** Creates tenants' workspaces on first use; present exactly when PORTAL_WORKSPACES=tenants. */
  workspaces?: WorkspaceProvisioner;
}

/** The methods MLflow serves; anything else (TRACE, CONNECT, WebDAV verbs) is answered 405. */
const FORWARDED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ALLOW = [...FORWARDED_METHODS].join(', ');

// Endpoints whose bodies are files: MLflow reads them as a stream, chunked included, so a chunked
// upload streams through. Every other endpoint's body is JSON that MLflow reads only with a
// Content-Length, so a chunked one is buffered (bounded) and sent with its length.
const STREAMED_UPLOADS = new Set(['mlflow-artifacts/upload']);

/**
 * The gateway's one pipeline: decides and plans a /mlflow/* call, whatever carries it. The plan
 * is either an answer (refusal, redirect, bad request) or a fully specified upstream call. The
 * portal frames every forwarded body itself: the upstream sees exactly one request per call,
 * with the bytes that were authorised (see lib/gateway/framing.ts).
 */
export async function planMlflowCall(call: InboundCall, deps: PlannerDeps): Promise<GatewayPlan> {
  const method = call.decision.method;
  const accept = call.decision.header('accept');
  const exchange: Exchange = { requestId: randomUUID(), method, path: MLFLOW_PREFIX, endpoint: null, permission: 'MANAGE', started: performance.now() };
  const framing = requestFraming(method, call.httpVersion, call.headers);
  const reply: Reply = { exchange, accept, unread: !framing.ok || framing.body.kind !== 'none', setCookies: [] };

  const normalized = normalizePath(call.decision.pathWithQuery);
  if (!normalized.ok) return refuse(reply, 'bad_request', `malformed request path: ${normalized.reason}`);
  const { path, query } = normalized;
  exchange.path = path;
  if (path === MLFLOW_PREFIX)
    return answer(reply, redirectAnswer(`${MLFLOW_PREFIX}/${query}`, 308, { close: reply.unread }), 'the MLflow UI lives at /mlflow/');
  // The one decision about what reaches MLflow is made on this normalised path, never on another spelling.
  if (!path.startsWith(`${MLFLOW_PREFIX}/`)) return refuse(reply, 'not_found', 'this path is not under /mlflow/');
  if (!FORWARDED_METHODS.has(method)) return refuse(reply, 'method_not_allowed', `${method} is not an MLflow method`, { allow: ALLOW });
  if (!framing.ok) return refuse(reply, 'bad_request', framing.message);

  const upstreamPath = path.slice(MLFLOW_PREFIX.length);
  const match = permissionMatcher(deps.config.authz)(method, upstreamPath);
  const { endpoint } = match;
  exchange.endpoint = endpoint;
  exchange.permission = match.permission;
  const gate = portalGate(match, deps.config.authz);
  // A route the portal refuses outright is still decided, so the refusal names who asked.
  const requirement: Requirement = gate.kind === 'decide' ? { ...gate.requirement, workspaced: true } : { permission: 'NONE' };
  const decision = await deps.decide({ ...call.decision, pathWithQuery: `${path}${query}` }, requirement);
  // From here on, every answer carries the decision's cookies (a refreshed session, or cleared ones).
  reply.setCookies = decision.setCookies;
  if (decision.type === 'redirect')
    return answer(reply, redirectAnswer(decision.location, 302, { setCookies: decision.setCookies, close: reply.unread }), 'sign-in required');
  if (decision.type === 'deny') {
    exchange.identity = decision.identity;
    return refuse(reply, decision.code, decision.message);
  }
  exchange.identity = decision.identity;
  if (gate.kind === 'refuse') return refuse(reply, 'forbidden', gate.message);
  let assertion: string | undefined;
  if (deps.assertions) {
    // MLflow keys grants by user name: without one, the call would act as nobody (or someone else).
    if (!decision.identity.username) {
      return refuse(
        reply,
        'forbidden',
        `your Descope token has no "${deps.config.usernameClaim}" claim, which this portal uses as your MLflow user name (DESCOPE_USERNAME_CLAIM); add it to the project's JWT template in Descope`,
      );
    }
    const { workspace } = decision;
    if (workspace?.access && deps.workspaces) {
      const provisioned = await deps.workspaces.ensure(workspace.access);
      if (!provisioned.ok) return refuse(reply, provisioned.code, provisioned.message);
    }
    const scope = workspace ? { active: workspace.name, workspaces: callerWorkspaces(decision.identity, deps.config).workspaces } : undefined;
    assertion = await deps.assertions.assertionFor(decision.identity, scope);
  }

  const body = await planBody(call, { inbound: framing.body, endpoint, identity: decision.identity, cap: deps.config.maxBodyBytes });
  if (!body.ok) {
    reply.unread = body.unread;
    return refuse(reply, body.code, body.message);
  }
  const headers = upstreamHeaders(call.headers, {
    method,
    identity: decision.identity,
    upstreamHost: deps.config.upstreamUrl.host,
    clientIp: call.clientIp,
    proto: call.decision.secure ? 'https' : 'http',
    requestId: exchange.requestId,
    body: body.upstream,
    workspace: decision.workspace?.name,
  });
  if (body.json) headers['content-type'] = 'application/json';
  if (assertion) headers[ASSERTION_HEADER] = assertion;
  const base = deps.config.upstreamUrl.pathname.replace(/\/$/, '');
  return {
    kind: 'forward',
    exchange,
    call: { method, path: `${base}${encodePath(upstreamPath)}${query}`, headers, body: body.forward, setCookies: decision.setCookies },
  };
}

/**
 * What an answer of the portal's own needs to know of the call: module functions taking this,
 * not closures made per call (under tsx, esbuild's keepNames defines a `name` on every named
 * closure each time it is made, which on the hot path cost more than the closures' work).
 */
interface Reply {
  exchange: Exchange;
  accept: string | undefined;
  /** The client's body is still unread: the answer closes the connection. */
  unread: boolean;
  /** Cookies every answer sets: none before the auth decision, the decision's after it. */
  setCookies: string[];
}

function answer(reply: Reply, value: Answer, refusal: string): GatewayPlan {
  reply.exchange.refusal = refusal;
  return { kind: 'answer', answer: value, exchange: reply.exchange };
}

function refuse(reply: Reply, code: ErrorCode, message: string, extra: OutgoingHttpHeaders = {}): GatewayPlan {
  return answer(reply, errorAnswer(code, message, { accept: reply.accept, setCookies: reply.setCookies, close: reply.unread, extra }), message);
}

type BodyPlan =
  { ok: true; forward: UpstreamCall['body']; upstream: UpstreamBody; json: boolean } | { ok: false; code: ErrorCode; message: string; unread: boolean };

/** What goes upstream as the body: nothing, bytes the portal read (and maybe rewrote), or the stream. */
async function planBody(
  call: InboundCall,
  facts: { inbound: InboundBody; endpoint: string | null; identity: Identity; cap: number | undefined },
): Promise<BodyPlan> {
  const { inbound, endpoint, identity, cap } = facts;
  if (inbound.kind === 'none') return { ok: true, forward: { kind: 'none' }, upstream: { kind: 'none' }, json: false };
  const capMessage = `request bodies are limited to ${cap} bytes in this deployment; log large artifacts with MLflow's presigned multipart upload (see README, "Vercel")`;
  if (inbound.kind === 'length' && cap !== undefined && inbound.length > cap)
    return { ok: false, code: 'payload_too_large', message: capMessage, unread: true };

  if (endpoint && inspectsBody(endpoint)) {
    const limit = Math.min(MAX_INSPECTED_BODY, cap ?? Infinity);
    const message = `${endpoint} bodies are limited to ${limit} bytes`;
    if (inbound.kind === 'length' && inbound.length > limit) return { ok: false, code: 'payload_too_large', message, unread: true };
    const read = await call.readBody({ maxBytes: limit });
    if (!read.ok) return read.reason === 'too-large' ? { ok: false, code: 'payload_too_large', message, unread: true } : aborted();
    const inspected = inspectRunBody(read.bytes, endpoint, identity);
    if (!inspected.ok) return { ok: false, code: inspected.code, message: inspected.message, unread: false };
    return buffered(inspected.body, true);
  }
  if (inbound.kind === 'chunked') {
    if (cap === undefined && endpoint !== null && STREAMED_UPLOADS.has(endpoint))
      return { ok: true, forward: { kind: 'stream', length: undefined }, upstream: { kind: 'chunked' }, json: false };
    const read = await call.readBody({ maxBytes: cap ?? MAX_INSPECTED_BODY });
    if (read.ok) return buffered(read.bytes, false);
    if (read.reason === 'aborted') return aborted();
    if (cap !== undefined) return { ok: false, code: 'payload_too_large', message: capMessage, unread: true };
    return {
      ok: false,
      code: 'length_required',
      message: `chunked bodies are buffered up to ${MAX_INSPECTED_BODY} bytes for this endpoint; send larger ones with a Content-Length`,
      unread: true,
    };
  }
  return { ok: true, forward: { kind: 'stream', length: inbound.length }, upstream: { kind: 'length', length: inbound.length }, json: false };
}

const buffered = (bytes: Buffer, json: boolean): BodyPlan =>
  bytes.length === 0
    ? { ok: true, forward: { kind: 'none' }, upstream: { kind: 'none' }, json }
    : { ok: true, forward: { kind: 'buffered', bytes }, upstream: { kind: 'length', length: bytes.length }, json };

const aborted = (): BodyPlan => ({ ok: false, code: 'bad_request', message: 'the request body ended early', unread: true });
