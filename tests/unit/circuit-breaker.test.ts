import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '@/lib/resilience/circuit-breaker';
import { backoffDelayMs } from '@/lib/resilience/retry';

describe('CircuitBreaker', () => {
  it('opens after the threshold, fails fast, then lets one trial through after the cooldown', () => {
    let now = 0;
    const breaker = new CircuitBreaker(3, 1_000, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure();
    }
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    now = 1_000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    now = 2_000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
  });
});

describe('backoffDelayMs', () => {
  it('grows exponentially with full jitter and a cap', () => {
    expect(backoffDelayMs(0, 100, 2_000, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, 100, 2_000, () => 0.999)).toBe(799);
    expect(backoffDelayMs(10, 100, 2_000, () => 0.999)).toBe(1998);
    expect(backoffDelayMs(3, 100, 2_000, () => 0)).toBe(0);
  });
});
