import { BoundedCache } from '@/lib/auth/bounded-cache';

// Longer than any Descope session lifetime in practice: after this a session from before the
// change has expired by itself.
const REMEMBER_MS = 24 * 60 * 60 * 1000;

/**
 * Users whose roles (or status) an admin changed through this instance, and when. A session JWT
 * from before the change still verifies until its `exp`, carrying the old roles; such a session
 * is refreshed instead (Descope answers with the current roles, or refuses once the admin ended
 * the user's sessions). `iat` has whole seconds, so a session issued in the second of the change
 * counts as older: refreshed once more than needed, never kept with stale roles.
 */
export class RoleChanges {
  private readonly changedAt = new BoundedCache<string, number>(10_000);

  constructor(private readonly now: () => number = Date.now) {}

  record(userId: string): void {
    const at = this.now();
    this.changedAt.set(userId, at, at + REMEMBER_MS);
  }

  /** Whether a session of `sub` issued at `iat` (seconds) was issued before their last change here. */
  predates(claims: { sub: string; iat?: number }): boolean {
    const at = this.changedAt.get(claims.sub, this.now());
    if (at === undefined) return false;
    return claims.iat === undefined || claims.iat <= Math.floor(at / 1000);
  }
}
