import { describe, expect, it } from 'vitest';
import { BoundedCache } from '@/lib/auth/bounded-cache';

describe('BoundedCache', () => {
  it('holds at most maxEntries, evicting the oldest first', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1, Infinity);
    cache.set('b', 2, Infinity);
    cache.set('c', 3, Infinity);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([undefined, 2, 3]);
  });

  it('drops an entry once its own expiry has passed', () => {
    const cache = new BoundedCache<string, number>(10);
    cache.set('token', 1, 1_000);
    expect(cache.get('token', 999)).toBe(1);
    expect(cache.get('token', 1_000)).toBeUndefined();
  });
});
