import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { finished, Transform, type Readable } from 'node:stream';
import type { UpstreamCall } from '@/lib/gateway/plan';
import { UpstreamAgent } from '@/lib/gateway/upstream-agent';

export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
  constructor(
    readonly timedOut: boolean,
    message: string,
  ) {
    super(message);
  }
}

export interface UpstreamTarget {
  url: URL;
  agent: UpstreamAgent;
  timeoutMs: number;
}

export interface SentUpstream {
  request: ClientRequest;
  /** Settles with MLflow's response head, or an UpstreamFailure (unreachable, timeout, reset). */
  response: Promise<IncomingMessage>;
}

/**
 * Sends one planned call to MLflow: exactly the method, path, headers and body the plan names,
 * nothing taken from the client's request. Both transports use it. A streamed body is piped from
 * `source` with backpressure, through a guard that holds it to the stated length, so no byte
 * beyond the authorised body can reach the upstream socket and a short one never completes.
 */
export function sendUpstream(call: UpstreamCall, target: UpstreamTarget, source?: Readable): SentUpstream {
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const request = send({
    protocol: target.url.protocol,
    hostname: target.url.hostname,
    port: target.url.port,
    method: call.method,
    path: call.path,
    headers: call.headers,
    agent: target.agent,
  });
  let timedOut = false;
  request.setTimeout(target.timeoutMs, () => {
    timedOut = true;
    request.destroy(new UpstreamFailure(true, 'upstream timeout'));
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', (res) => {
      // MLflow answered before it had the whole body: the socket's state is not one we reuse.
      if (!request.writableFinished) UpstreamAgent.taint(request);
      resolve(res);
    });
    request.once('error', (error) => reject(error instanceof UpstreamFailure ? error : new UpstreamFailure(timedOut, error.message)));
  });
  // The rejection is for the transport to read; an unread one must not crash the process.
  response.catch(() => undefined);

  if (call.body.kind === 'none') request.end();
  else if (call.body.kind === 'buffered') request.end(call.body.bytes);
  else if (!source) request.destroy(new UpstreamFailure(false, 'no body to stream'));
  else streamBody(source, request, call.body.length);
  return { request, response };
}

/**
 * `pipe`, not `pipeline`: when MLflow fails mid-upload the client's request must stay open so the
 * portal can still answer it (502/504); Node drains and discards what the client keeps sending.
 * When the client stops early, the upstream request is destroyed: a body cut short never stands.
 */
function streamBody(source: Readable, request: ClientRequest, length: number | undefined): void {
  const body = length === undefined ? source : source.pipe(exactly(length));
  body.pipe(request);
  const fail = (error: Error | null | undefined) => {
    if (error) request.destroy(new UpstreamFailure(false, `request body: ${error.message}`));
  };
  const watchers = [finished(source, { writable: false }, fail), ...(body === source ? [] : [finished(body, { writable: false }, fail)])];
  request.once('close', () => {
    for (const stop of watchers) stop();
    body.unpipe(request);
  });
}

/** Passes exactly `length` bytes; more, or fewer by the end, is an error (the call is destroyed). */
function exactly(length: number): Transform {
  let seen = 0;
  return new Transform({
    highWaterMark: 256 * 1024,
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > length ? new Error(`more than the ${length} bytes stated`) : null, chunk);
    },
    flush(done) {
      done(seen === length ? null : new Error(`${seen} of the ${length} bytes stated`));
    },
  });
}
