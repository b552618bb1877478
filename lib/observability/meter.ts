/**
 * What a cache or a client needs to be counted, without depending on prom-client: lib/auth and
 * lib/descope take these from the runtime (lib/observability/metrics.ts binds them to series) and
 * default to counting nothing, so a verifier built in a test needs no registry.
 */
export interface Tally {
  inc(amount?: number): void;
}

export interface CacheMeter {
  hit: Tally;
  miss: Tally;
}

const nothing: Tally = { inc() {} };
export const NO_CACHE_METER: CacheMeter = { hit: nothing, miss: nothing };
