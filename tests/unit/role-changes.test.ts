import { describe, expect, it } from 'vitest';
import { RoleChanges } from '@/lib/auth/role-changes';

describe('RoleChanges', () => {
  it("marks sessions issued before (or in the second of) a user's role change, and only that user's", () => {
    let now = 1_700_000_000_500;
    const changes = new RoleChanges(() => now);
    expect(changes.predates({ sub: 'U1', iat: 1_699_999_000 })).toBe(false);
    changes.record('U1');
    expect(changes.predates({ sub: 'U1', iat: 1_699_999_999 })).toBe(true);
    // Same whole second as the change: could be from just before it, so refreshed once more.
    expect(changes.predates({ sub: 'U1', iat: 1_700_000_000 })).toBe(true);
    expect(changes.predates({ sub: 'U1', iat: 1_700_000_001 })).toBe(false);
    expect(changes.predates({ sub: 'U1' })).toBe(true);
    expect(changes.predates({ sub: 'U2', iat: 1 })).toBe(false);
    // Forgotten after a day: every session from before has long expired.
    now += 24 * 60 * 60 * 1000 + 1;
    expect(changes.predates({ sub: 'U1', iat: 1 })).toBe(false);
  });
});
