import { AccessKeyStore } from './access-keys';
import { Directory } from './directory';
import type { KeyRing } from './keys';
import { Outage } from './outage';
import type { Seed } from './seed';
import { TokenMinter } from './tokens';

export interface Lifetimes {
  sessionTtlSeconds: number;
  refreshTtlSeconds: number;
}

/** Everything one emulator instance holds, in memory; nothing is shared between instances. */
export class EmulatorState {
  readonly directory: Directory;
  readonly accessKeys: AccessKeyStore;
  readonly tokens: TokenMinter;
  readonly outage = new Outage();
  // Refresh tokens are revoked by jti, so a logged-out token stays dead while it would still verify.
  readonly revokedRefreshTokens = new Set<string>();
  readonly requestCounts = new Map<string, number>();

  constructor(
    readonly projectId: string,
    readonly managementKey: string | undefined,
    readonly keys: KeyRing,
    readonly lifetimes: Lifetimes,
    seed: Seed,
    issuer: string,
  ) {
    this.directory = new Directory(seed);
    this.accessKeys = new AccessKeyStore(this.directory);
    this.tokens = new TokenMinter(keys, issuer, (roleNames) => this.directory.permissionsFor(roleNames));
  }

  countRequest(path: string): void {
    this.requestCounts.set(path, (this.requestCounts.get(path) ?? 0) + 1);
  }
}
