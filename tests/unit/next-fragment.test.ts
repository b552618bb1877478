import { describe, expect, it } from 'vitest';
import { withFragment } from '@/lib/auth/next-fragment';
import { safeNextPath } from '@/lib/auth/safe-next';

const landing = (next: string | null, fragment: unknown) => safeNextPath(withFragment(next, fragment), '/');

describe('the deep-link fragment through sign-in', () => {
  it("adds the login page's fragment to next, so /mlflow/#/experiments/2 lands there again", () => {
    expect(landing('/mlflow/', '#/experiments/2')).toBe('/mlflow/#/experiments/2');
    expect(landing('/mlflow/?x=1', '#/experiments/2/runs/abc?searchFilter=a%3Db')).toBe('/mlflow/?x=1#/experiments/2/runs/abc?searchFilter=a%3Db');
  });

  it('drops a malformed, oversized or missing fragment, and keeps a next that has its own', () => {
    expect(landing('/mlflow/', '')).toBe('/mlflow/');
    expect(landing('/mlflow/', '/experiments/2')).toBe('/mlflow/');
    expect(landing('/mlflow/', '#a b')).toBe('/mlflow/');
    expect(landing('/mlflow/', '#\u0000x')).toBe('/mlflow/');
    expect(landing('/mlflow/', `#${'a'.repeat(1025)}`)).toBe('/mlflow/');
    expect(landing('/mlflow/', ['#x'])).toBe('/mlflow/');
    expect(landing('/mlflow/#/models', '#/experiments/2')).toBe('/mlflow/#/models');
    expect(landing(null, '#/experiments/2')).toBe('/');
  });

  it('never turns next into a way off the portal', () => {
    expect(landing('/mlflow/', '#//evil.example')).toBe('/mlflow/#//evil.example');
    expect(landing('/mlflow/', '#\\evil.example')).toBe('/mlflow/');
    expect(landing('//evil.example', '#/x')).toBe('/');
    expect(landing('/auth/login', '#/x')).toBe('/');
    for (const next of ['/mlflow/', '/'])
      expect(new URL(landing(next, '#@evil.example/%2F%2F'), 'https://portal.example').origin).toBe('https://portal.example');
  });
});
