import { importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { NO_CACHE_METER, type CacheMeter } from '@/lib/observability/meter';

type VerifyKey = Awaited<ReturnType<typeof importJWK>>;

const jwksSchema = z.object({
  keys: z.array(z.object({ kid: z.string().min(1), kty: z.literal('RSA'), n: z.string(), e: z.string() }).passthrough()),
});

export interface KeyStoreStatus {
  keys: number;
  fetchedAt: number | undefined;
  lastError: string | undefined;
}

/**
 * The project's signing keys. Keys are fetched on first use and again for an unknown `kid`, at
 * most once per `minRefetchMs`, so a flood of tokens with made-up kids cannot turn into a flood
 * of JWKS calls. A failed fetch keeps the keys we have: sessions keep validating during an outage.
 */
export class KeyStore {
  private keys = new Map<string, VerifyKey>();
  private fetchedAt: number | undefined;
  private lastAttempt = -Infinity;
  private lastError: string | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly fetchJwks: () => Promise<unknown>,
    private readonly minRefetchMs = 30_000,
    private readonly now: () => number = Date.now,
    private readonly meter: CacheMeter = NO_CACHE_METER,
  ) {}

  async keyFor(kid: string): Promise<VerifyKey | undefined> {
    const known = this.keys.get(kid);
    if (known) {
      this.meter.hit.inc();
      return known;
    }
    this.meter.miss.inc();
    // A fetch already under way (e.g. the first requests after start-up, arriving together) is
    // awaited, not skipped: otherwise every caller but the first sees no keys and refuses a good token.
    if (this.inFlight || this.now() - this.lastAttempt >= this.minRefetchMs) {
      // Unreachable Descope: the error is in status(); the token is simply not verifiable now.
      await this.refresh().catch(() => undefined);
    }
    return this.keys.get(kid);
  }

  /** Whether `kid` is among the keys Descope published at the last successful fetch. */
  has(kid: string): boolean {
    return this.keys.has(kid);
  }

  /** Fetches the JWKS now (deduplicated); throws when Descope could not be reached. */
  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  status(): KeyStoreStatus {
    return { keys: this.keys.size, fetchedAt: this.fetchedAt, lastError: this.lastError };
  }

  private async load(): Promise<void> {
    this.lastAttempt = this.now();
    try {
      const { keys } = jwksSchema.parse(await this.fetchJwks());
      const imported = await Promise.all(keys.map(async (jwk) => [jwk.kid, await importJWK(jwk as JWK, 'RS256')] as const));
      // Replace, not merge: a key Descope stopped publishing (revoked) must stop verifying.
      this.keys = new Map(imported);
      this.fetchedAt = this.now();
      this.lastError = undefined;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }
}
