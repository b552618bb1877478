import type { ServerResponse } from 'node:http';
import { EmulatorError, errorCodes, sendError } from './http';

export type OutageMode = 'error' | 'hang';

const unavailable = (status: number, message: string) => new EmulatorError(status, errorCodes.unavailable, 'Service unavailable', message);

/**
 * A simulated Descope outage. `error` answers `status` (503 by default) at once; `hang` holds
 * requests unanswered until the outage ends (then they get a 503) or the server closes.
 */
export class Outage {
  private mode: OutageMode | undefined;
  private status = 503;
  private readonly held = new Set<ServerResponse>();

  get state(): { on: boolean; mode?: OutageMode; status?: number } {
    return this.mode ? { on: true, mode: this.mode, status: this.status } : { on: false };
  }

  set(on: boolean, mode: OutageMode, status: number): void {
    this.mode = on ? mode : undefined;
    this.status = status;
    if (this.mode === 'hang') return;
    for (const res of this.held) sendError(res, unavailable(503, 'the simulated outage ended before an answer'));
    this.held.clear();
  }

  /** True when the outage took the request. */
  intercept(res: ServerResponse): boolean {
    if (this.mode === 'error') sendError(res, unavailable(this.status, 'simulated Descope outage'));
    if (this.mode === 'hang') {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
    }
    return this.mode !== undefined;
  }
}
