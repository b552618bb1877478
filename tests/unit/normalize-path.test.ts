import { describe, expect, it } from 'vitest';
import { encodePath, normalizePath } from '@/lib/gateway/normalize-path';

const path = (raw: string) => {
  const result = normalizePath(raw);
  return result.ok ? result.path : `refused: ${result.reason}`;
};

describe('normalizePath', () => {
  it('resolves dot segments and duplicate slashes once', () => {
    expect(path('/auth/health/../../mlflow/api/2.0/mlflow/runs/create')).toBe('/mlflow/api/2.0/mlflow/runs/create');
    expect(path('/auth/health/../mlflow/x')).toBe('/auth/mlflow/x');
    expect(path('/mlflow//api/./2.0/mlflow/runs/search')).toBe('/mlflow/api/2.0/mlflow/runs/search');
    expect(path('/mlflow/')).toBe('/mlflow/');
    expect(path('/')).toBe('/');
  });

  it('decodes percent-encoding exactly once', () => {
    expect(path('/auth/health/%2e%2e/mlflow/x')).toBe('/auth/mlflow/x');
    expect(path('/mlflow%2fapi%2F2.0')).toBe('/mlflow/api/2.0');
    expect(path('/mlflow/%252e%252e/x')).toBe('/mlflow/%2e%2e/x');
  });

  it('keeps the query apart and drops a fragment', () => {
    expect(normalizePath('/mlflow/get-artifact?path=a/../b&run_id=1#frag')).toEqual({ ok: true, path: '/mlflow/get-artifact', query: '?path=a/../b&run_id=1' });
  });

  it.each([
    '/mlflow/%00/x',
    '/mlflow/a\\b',
    '/mlflow/runs;jsessionid=1',
    '/mlflow/%c0%ae%c0%ae/x',
    '/mlflow/%ff',
    '/../etc/passwd',
    'mlflow/x',
    '/mlflow/%0d%0aX: y',
  ])('refuses the ambiguous path %s', (raw) => {
    expect(normalizePath(raw).ok).toBe(false);
  });

  it('returns a path with nothing to resolve as the full walk does, for every spelling that forces the walk', () => {
    const alphabet = "ab.-_~!$&'()*+,=:@/%;\\é";
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i += 1) {
      const raw = `/${Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')}`;
      // Doubling the first slash makes the path not plain, so it takes the walk; the walk collapses it again.
      expect(normalizePath(raw)).toEqual(normalizePath(`/${raw}`));
    }
  });

  it('re-encodes what it decoded so the upstream reads the same path', () => {
    expect(encodePath('/api/2.0/mlflow-artifacts/artifacts/1/a b/c#d?e%f')).toBe('/api/2.0/mlflow-artifacts/artifacts/1/a%20b/c%23d%3Fe%25f');
    const round = normalizePath(encodePath('/x/a b/%/é'));
    expect(round.ok && round.path).toBe('/x/a b/%/é');
  });

  it('leaves a path that needs no encoding as it is, and encodes every other character as before', () => {
    const segmentWise = (path: string) =>
      path
        .split('/')
        .map((segment) => encodeURIComponent(segment).replace(/%40/g, '@').replace(/%3A/gi, ':').replace(/%2C/gi, ','))
        .join('/');
    for (let code = 0x20; code < 0x7f; code += 1) {
      const path = `/api/2.0/mlflow/runs/a${String.fromCharCode(code)}b`;
      expect(encodePath(path)).toBe(segmentWise(path));
    }
    expect(encodePath('/x/é/ü')).toBe(segmentWise('/x/é/ü'));
  });
});
