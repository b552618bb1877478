import { createHash } from 'node:crypto';
import type { DescopeClaims } from '@/lib/auth/claims';
import type { JwtVerifier } from '@/lib/auth/jwt';
import { BoundedCache } from '@/lib/auth/bounded-cache';
import { DescopeUnavailableError } from '@/lib/descope/resilient-fetch';
import { NO_CACHE_METER, type CacheMeter } from '@/lib/observability/meter';

export interface RefreshedSession {
  sessionJwt: string;
  refreshJwt: string;
  claims: DescopeClaims;
  /** Unix ms when the refresh token expires: how long the cookies should live. */
  refreshExpiresAt: number;
}

export class RefreshRejectedError extends Error {
  override name = 'RefreshRejectedError';
}

/** What the portal needs from Descope's refresh call (the node SDK's `refresh`). */
export type RefreshCall = (
  refreshJwt: string,
) => Promise<{ ok: boolean; code?: number; data?: { sessionJwt?: string; refreshJwt?: string }; error?: { errorMessage?: string } }>;

/**
 * Exchanges a refresh token for a new session. The MLflow UI fires a dozen calls at once when its
 * session expires: concurrent and back-to-back refreshes of the same token share one Descope call
 * (in-flight dedupe plus a 30 s memo), so a page load costs one refresh, not twelve.
 */
export class SessionRefresher {
  private readonly inFlight = new Map<string, Promise<RefreshedSession>>();
  private readonly recent = new BoundedCache<string, RefreshedSession>(5_000);

  constructor(
    private readonly verifier: JwtVerifier,
    private readonly refreshCall: RefreshCall,
    private readonly now: () => number = Date.now,
    private readonly meter: CacheMeter = NO_CACHE_METER,
  ) {}

  async refresh(refreshJwt: string): Promise<RefreshedSession> {
    const refreshClaims = await this.verifier.verify(refreshJwt, 'refresh');
    const key = memoKey(refreshJwt);
    const memo = this.recent.get(key, this.now());
    if (memo) {
      this.meter.hit.inc();
      return memo;
    }
    // A refresh that joins one in flight is a miss too: it waits for Descope.
    this.meter.miss.inc();
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.callDescope(refreshJwt, refreshClaims.exp * 1000).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const session = await pending;
    this.recent.set(key, session, Math.min(this.now() + 30_000, session.claims.exp * 1000));
    return session;
  }

  /**
   * Sign-out: forgets what this refresh token produced here (the memoised session) and returns
   * that session's token, so the caller can refuse it too.
   */
  forget(refreshJwt: string): string | undefined {
    const key = memoKey(refreshJwt);
    const memo = this.recent.get(key, this.now());
    this.recent.delete(key);
    return memo?.sessionJwt;
  }

  /** Drops memoised refreshes of one user, whose roles just changed. */
  forgetUser(userId: string): void {
    this.recent.deleteWhere((session) => session.claims.sub === userId);
  }

  private async callDescope(refreshJwt: string, refreshExpiresAt: number): Promise<RefreshedSession> {
    let response: Awaited<ReturnType<RefreshCall>>;
    try {
      response = await this.refreshCall(refreshJwt);
    } catch (error) {
      throw error instanceof DescopeUnavailableError ? error : new DescopeUnavailableError('Descope refresh failed');
    }
    if (!response.ok && (response.code === undefined || response.code >= 500 || response.code === 429)) {
      throw new DescopeUnavailableError(`Descope refresh answered ${response.code ?? 'nothing'}`);
    }
    if (!response.ok || !response.data?.sessionJwt) {
      throw new RefreshRejectedError(response.error?.errorMessage ?? 'Descope refused the refresh token');
    }
    const sessionJwt = response.data.sessionJwt;
    const newRefresh = response.data.refreshJwt || refreshJwt;
    const claims = await this.verifier.verify(sessionJwt, 'session');
    // Descope may rotate the refresh token; the cookies then live as long as the new one.
    const expiresAt = newRefresh === refreshJwt ? refreshExpiresAt : (await this.verifier.verify(newRefresh, 'refresh')).exp * 1000;
    return { sessionJwt, refreshJwt: newRefresh, claims, refreshExpiresAt: expiresAt };
  }
}

const memoKey = (refreshJwt: string) => createHash('sha256').update(refreshJwt).digest('base64url');
