import { createServer } from 'node:net';

/** A port a local stack will listen on, and how its user picks another one. */
export interface PortClaim {
  port: number;
  /** What will listen there, e.g. "MLflow". */
  service: string;
  /** How to choose another port, e.g. "DEMO_MLFLOW_PORT=5001 or --mlflow-port 5001". */
  howToChange?: string;
}

/** A busy port, as one line a person can act on (no stack trace, no EADDRINUSE). */
export class PortBusyError extends Error {
  override name = 'PortBusyError';

  constructor(readonly claim: PortClaim) {
    super(
      `port ${claim.port} (${claim.service}) is already in use on 127.0.0.1: stop what listens there${claim.howToChange ? `, or choose another port with ${claim.howToChange}` : ''}`,
    );
  }
}

/** Whether a loopback listener could be opened on `port` right now (the services bind 127.0.0.1). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(false) : reject(error)));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * Checks every claimed port before anything starts, so a busy one stops the stack with one line
 * instead of a half-started stack talking to whatever already listens there. Also refuses one
 * port claimed twice. Port 0 (the OS picks) is always free.
 */
export async function assertPortsFree(claims: readonly PortClaim[]): Promise<void> {
  const fixed = claims.filter((claim) => claim.port !== 0);
  for (const [index, claim] of fixed.entries()) {
    const other = fixed.slice(0, index).find((earlier) => earlier.port === claim.port);
    if (other)
      throw new Error(
        `port ${claim.port} is set for both ${other.service} and ${claim.service}: give each its own port${claim.howToChange ? ` (${claim.howToChange})` : ''}`,
      );
  }
  for (const claim of fixed) {
    if (!(await portFree(claim.port))) throw new PortBusyError(claim);
  }
}

/** A listen() failure that means "someone took the port": the same one line as the up-front check. */
export function asPortBusy(error: unknown, claim: PortClaim): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE' ? new PortBusyError(claim) : error;
}
