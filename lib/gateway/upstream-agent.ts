import { Agent, type ClientRequest } from 'node:http';
import type { Socket } from 'node:net';

const tainted = Symbol('mlflow-descope-portal.upstream-socket-tainted');
type UpstreamSocket = Socket & { [tainted]?: boolean };

function destroyOnIdleData(this: Socket): void {
  this.destroy();
}

/**
 * The keep-alive pool to MLflow, with two rules a pooled socket must pass to be reused:
 * - nothing may arrive on it while it is idle. An answer nobody asked for would otherwise be read
 *   as the answer to the next request sent on it (Node just drops such bytes, or hands them on).
 * - the exchange on it must have ended cleanly: a socket is `taint`ed when MLflow answered before
 *   the portal finished sending the body, or anything else left the two sides out of step.
 * Either way the socket is destroyed instead of kept.
 */
export class UpstreamAgent extends Agent {
  constructor() {
    super({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
  }

  override keepSocketAlive(socket: Socket): boolean {
    // Node's Agent returns whether it keeps the socket; its type declaration says void.
    if ((socket as UpstreamSocket)[tainted] || !(super.keepSocketAlive(socket) as unknown as boolean)) return false;
    socket.on('data', destroyOnIdleData);
    return true;
  }

  override reuseSocket(socket: Socket, request: ClientRequest): void {
    socket.off('data', destroyOnIdleData);
    super.reuseSocket(socket, request);
  }

  /** Marks the socket under `request` as unfit for another request. */
  static taint(request: ClientRequest): void {
    const socket = request.socket as UpstreamSocket | null;
    if (socket) socket[tainted] = true;
    else request.once('socket', (later: UpstreamSocket) => (later[tainted] = true));
  }
}
