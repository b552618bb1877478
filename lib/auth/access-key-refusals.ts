/**
 * Why an access key was refused, in words a CI job's log can act on. Descope's exchange says only
 * "no", and keeps no trace of a deleted key, so what can be told apart is what this instance saw:
 * the key's shape, and, for a key it exchanged before, its expiry and whether it was revoked here.
 * Every message is about the presented key alone (its holder has the secret): none names a key id
 * or an owner, so nothing tells a caller whether some other key exists.
 */
export const keyRefusals = {
  malformed:
    'the token is neither a Descope access key nor a session JWT (expected one unbroken string of at least 16 letters, digits or ._~+/=:- characters): check that MLFLOW_TRACKING_TOKEN holds the whole key',
  revoked: 'this access key was revoked: create a new one on /profile and update MLFLOW_TRACKING_TOKEN',
  expired: (at: number) => `this access key expired at ${new Date(at).toISOString()}: create a new one on /profile and update MLFLOW_TRACKING_TOKEN`,
  noLongerAccepted: 'Descope no longer accepts this access key: it was revoked or deactivated. Create a new one on /profile and update MLFLOW_TRACKING_TOKEN',
  unknown:
    'Descope does not accept this access key: it was revoked, has expired or was deactivated, or it never existed. Create a new one on /profile and update MLFLOW_TRACKING_TOKEN',
  ownerDisabled: 'the user this access key belongs to is disabled: ask an admin to enable them, or use a key of an enabled user',
  ownerGone: 'the user this access key belongs to no longer exists: use a key of another user',
  scopeGone: (roles: readonly string[]) =>
    `this access key is limited to roles its owner no longer has (${roles.join(', ')}): create a new key on /profile and update MLFLOW_TRACKING_TOKEN`,
} as const;

// What an access key can look like: printable, unbroken, and not trivially short.
const KEY_SHAPE = /^[A-Za-z0-9._~+/=:-]{16,}$/;

export const plausibleAccessKey = (token: string) => KEY_SHAPE.test(token);

interface Seen {
  keyId: string;
  /** Unix ms, or null for a key that never expires or whose expiry is unknown here. */
  expiresAt: number | null;
  revoked: boolean;
}

const MAX_REMEMBERED = 10_000;

/** Keys this instance exchanged, by a hash of their cleartext, so a later refusal can say why. */
export class KeyHistory {
  private readonly seen = new Map<string, Seen>();

  remember(hash: string, keyId: string, expiresAt: number | null): void {
    this.seen.delete(hash);
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(hash, { keyId, expiresAt, revoked: false });
  }

  markRevoked(keyId: string): void {
    for (const entry of this.seen.values()) if (entry.keyId === keyId) entry.revoked = true;
  }

  /** The message for a key Descope just refused. */
  explain(hash: string, now: number): string {
    const entry = this.seen.get(hash);
    if (!entry) return keyRefusals.unknown;
    if (entry.revoked) return keyRefusals.revoked;
    if (entry.expiresAt !== null && entry.expiresAt <= now) return keyRefusals.expired(entry.expiresAt);
    return keyRefusals.noLongerAccepted;
  }
}
