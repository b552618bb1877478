import { AccessKeyStore } from './access-keys';
import { Directory } from './directory';
import { EmulatorError, errorCodes } from './http';
import type { KeyRing } from './keys';
import { Outage } from './outage';
import type { SavedState, StateFile } from './persistence';
import type { Seed } from './seed';
import { TokenMinter } from './tokens';

export interface Lifetimes {
  sessionTtlSeconds: number;
  refreshTtlSeconds: number;
}

/**
 * Everything one emulator instance holds, in memory; nothing is shared between instances. With a
 * state file, users and access keys are also saved after every change and restored at start.
 */
export class EmulatorState {
  readonly directory: Directory;
  readonly accessKeys: AccessKeyStore;
  readonly tokens: TokenMinter;
  readonly outage = new Outage();
  // Refresh tokens are revoked by jti, so a logged-out token stays dead while it would still verify.
  readonly revokedRefreshTokens = new Set<string>();
  // The refresh tokens each user signed in with, so the management logout can revoke them all.
  private readonly refreshTokensOf = new Map<string, Set<string>>();
  readonly requestCounts = new Map<string, number>();

  readonly projectId: string;
  readonly managementKey: string | undefined;
  readonly keys: KeyRing;
  readonly lifetimes: Lifetimes;
  private readonly stateFile?: StateFile;

  constructor(options: {
    projectId: string;
    managementKey: string | undefined;
    keys: KeyRing;
    lifetimes: Lifetimes;
    seed: Seed;
    issuer: string;
    stateFile?: StateFile;
    saved?: SavedState;
  }) {
    const { seed, issuer, saved, keys } = options;
    this.projectId = options.projectId;
    this.managementKey = options.managementKey;
    this.keys = keys;
    this.lifetimes = options.lifetimes;
    this.stateFile = options.stateFile;
    this.directory = new Directory(saved ? { ...seed, users: saved.users } : seed);
    this.accessKeys = new AccessKeyStore(this.directory);
    if (saved) this.accessKeys.restore(saved.accessKeys);
    this.tokens = new TokenMinter(keys, issuer, (roleNames) => this.directory.permissionsFor(roleNames));
  }

  /** Runs a change to users or keys, then saves the state (when there is a state file). */
  mutate<T>(change: () => T): T {
    const result = change();
    if (!this.stateFile) return result;
    try {
      this.stateFile.save({ users: this.directory.users, accessKeys: this.accessKeys.snapshot() });
    } catch (error) {
      // Made in memory, not on disk: say so, instead of a restart silently undoing it.
      throw new EmulatorError(
        500,
        errorCodes.internal,
        'State not saved',
        `the change was made but not saved to ${this.stateFile.path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return result;
  }

  issuedRefreshToken(userId: string, jti: string): void {
    const issued = this.refreshTokensOf.get(userId) ?? new Set<string>();
    this.refreshTokensOf.set(userId, issued.add(jti));
  }

  /** Ends every session of a user (Descope's management logout): their refresh tokens stop working. */
  endSessionsOf(userId: string): number {
    const issued = this.refreshTokensOf.get(userId) ?? new Set<string>();
    for (const jti of issued) this.revokedRefreshTokens.add(jti);
    this.refreshTokensOf.delete(userId);
    return issued.size;
  }

  countRequest(path: string): void {
    this.requestCounts.set(path, (this.requestCounts.get(path) ?? 0) + 1);
  }
}
