import { createHash } from 'node:crypto';
import type { DescopeClaims } from '@/lib/auth/claims';
import type { JwtVerifier } from '@/lib/auth/jwt';
import { BoundedCache } from '@/lib/auth/bounded-cache';
import { KeyHistory, keyRefusals, plausibleAccessKey } from '@/lib/auth/access-key-refusals';
import { keyScope, ownerClaims, type OwnerRecord } from '@/lib/auth/access-key-scope';
import { DescopeUnavailableError } from '@/lib/descope/resilient-fetch';
import { NO_CACHE_METER, type CacheMeter } from '@/lib/observability/meter';

export type { OwnerRecord };

export class AccessKeyRejectedError extends Error {
  override name = 'AccessKeyRejectedError';
}

type SdkResult<T> = { ok: boolean; code?: number; data?: T; error?: { errorMessage?: string } };

/** The slice of the node SDK this module needs; tests hand in the real SDK pointed at the emulator. */
export interface AccessKeyDescope {
  exchange(accessKey: string): Promise<SdkResult<{ sessionJwt?: string; keyId?: string }>>;
  /** Owner lookup; absent when no management key is configured. */
  loadKey?(keyId: string): Promise<SdkResult<{ boundUserId?: string; expireTime?: number }>>;
  loadUser?(userId: string): Promise<SdkResult<OwnerRecord>>;
}

export interface AccessKeySession {
  keyId: string;
  /** Claims to build the identity from: the owner's current roles when the key belongs to a user. */
  claims: DescopeClaims;
}

// Re-exchange this long before the exchanged session expires, so no request carries a stale one.
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Access key → session. Exchanges are cached (by a hash of the key, never the key itself) until
 * shortly before the exchanged session expires, and concurrent first uses share one exchange.
 * A user-bound key acts with its owner's current roles, read through the management API at each
 * exchange (narrowed to the key's own roles when it has some: a scoped key), so revoking a role
 * reaches keys within one session lifetime. A refused key gets a reason (access-key-refusals.ts).
 */
export class AccessKeyExchanger {
  private readonly cache = new BoundedCache<string, AccessKeySession>(10_000);
  private readonly inFlight = new Map<string, Promise<AccessKeySession>>();
  private readonly history = new KeyHistory();

  constructor(
    private readonly verifier: JwtVerifier,
    private readonly descope: AccessKeyDescope,
    private readonly now: () => number = Date.now,
    private readonly meter: CacheMeter = NO_CACHE_METER,
  ) {}

  async sessionFor(accessKey: string): Promise<AccessKeySession> {
    const key = createHash('sha256').update(accessKey).digest('base64url');
    const hit = this.cache.get(key, this.now());
    if (hit) {
      this.meter.hit.inc();
      return hit;
    }
    if (!plausibleAccessKey(accessKey)) throw new AccessKeyRejectedError(keyRefusals.malformed);
    // An exchange that joins one in flight is a miss too: it waits for Descope.
    this.meter.miss.inc();
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.exchange(accessKey, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const session = await pending;
    this.cache.set(key, session, session.claims.exp * 1000 - EXPIRY_MARGIN_MS);
    return session;
  }

  /** Drops cached sessions of a key revoked through this portal (other instances expire theirs). */
  forgetKey(keyId: string): void {
    this.cache.deleteWhere((session) => session.keyId === keyId);
    this.history.markRevoked(keyId);
  }

  /** Drops cached sessions of every key owned by one user, whose roles just changed. */
  forgetOwner(userId: string): void {
    this.cache.deleteWhere((session) => session.claims.sub === userId);
  }

  private async exchange(accessKey: string, hash: string): Promise<AccessKeySession> {
    const exchanged = await call(() => this.descope.exchange(accessKey));
    if (!exchanged.ok || !exchanged.data?.sessionJwt) throw new AccessKeyRejectedError(this.history.explain(hash, this.now()));
    const keyClaims = await this.verifier.verify(exchanged.data.sessionJwt, 'session');
    const keyId = exchanged.data.keyId ?? keyClaims.sub;
    const { owner, expireTime } = await this.ownerOf(keyId);
    this.history.remember(hash, keyId, expireTime ? expireTime * 1000 : null);
    if (!owner) return { keyId, claims: keyClaims };
    if (owner.status && owner.status !== 'enabled') throw new AccessKeyRejectedError(keyRefusals.ownerDisabled);
    const acting = ownerClaims(keyClaims, owner);
    if (acting.empty) throw new AccessKeyRejectedError(keyRefusals.scopeGone([...(keyScope(keyClaims) ?? [])]));
    return { keyId, claims: acting.claims };
  }

  private async ownerOf(keyId: string): Promise<{ owner?: OwnerRecord; expireTime?: number }> {
    const { loadKey, loadUser } = this.descope;
    if (!loadKey || !loadUser) return {};
    const key = await call(() => loadKey(keyId));
    // Exchanged a moment ago, gone now: deleted in between.
    if (!key.ok) throw new AccessKeyRejectedError(keyRefusals.revoked);
    // Descope names the owner `boundUserId` on a key (the create call takes it as `userId`).
    const userId = key.data?.boundUserId;
    const expireTime = key.data?.expireTime;
    if (!userId) return { expireTime };
    const user = await call(() => loadUser(userId));
    if (!user.ok || !user.data) throw new AccessKeyRejectedError(keyRefusals.ownerGone);
    return { owner: user.data, expireTime };
  }
}

async function call<T>(fn: () => Promise<SdkResult<T>>): Promise<SdkResult<T>> {
  let result: SdkResult<T>;
  try {
    result = await fn();
  } catch (error) {
    throw error instanceof DescopeUnavailableError ? error : new DescopeUnavailableError('Descope call failed');
  }
  if (!result.ok && (result.code === undefined || result.code >= 500 || result.code === 429)) {
    throw new DescopeUnavailableError(`Descope answered ${result.code ?? 'nothing'}`);
  }
  return result;
}
