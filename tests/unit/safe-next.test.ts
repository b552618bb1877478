import { describe, expect, it } from 'vitest';
import { safeNextPath } from '@/lib/auth/safe-next';

describe('safeNextPath', () => {
  it('keeps same-origin relative paths with query and hash', () => {
    expect(safeNextPath('/profile')).toBe('/profile');
    expect(safeNextPath('/mlflow/#/experiments/1?x=1')).toBe('/mlflow/#/experiments/1?x=1');
    expect(safeNextPath('/mlflow/?a=b')).toBe('/mlflow/?a=b');
    expect(safeNextPath('/mlflow/?filter=a%25b')).toBe('/mlflow/?filter=a%25b');
    expect(safeNextPath('/a/./b/../c')).toBe('/a/c');
  });

  it.each([
    '//evil.com',
    'https://evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '/%2Fevil.com',
    '%2F%2Fevil.com',
    '/%5Cevil.com',
    '/%252F%252Fevil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    'javascript:alert(1)',
    '///evil.com',
    'http:/evil.com',
    // Dot segments that resolve to `//` (the reported finding and its relatives).
    '/.//evil.com',
    '/%2e//evil.com',
    '/a/..//evil.com',
    '/./%2Fevil.com',
    '/%2E%2E//evil.com',
    '/auth/login?next=/x',
    '/auth/logout',
    '/x/../auth/logout',
    '',
    undefined,
  ])('sends %j to the fallback', (candidate) => {
    expect(safeNextPath(candidate)).toBe('/');
  });
});

/** What a browser does with a Location header value: resolve it against the page's origin. */
function landsOn(location: string, origin = 'https://portal.example'): string {
  return new URL(location, origin).host;
}

/** Every readable form of the value (each round of percent-decoding), as some reader may apply it. */
function decodings(value: string): string[] {
  const forms = [value];
  for (let i = 0; i < 4; i++) {
    const next = forms[forms.length - 1].replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === forms[forms.length - 1]) break;
    forms.push(next);
  }
  return forms;
}

describe('safeNextPath on a generated corpus of encodings', () => {
  const pieces = [
    '/',
    '.',
    '..',
    '%2e',
    '%2E',
    '%2f',
    '%2F',
    '%5c',
    '%5C',
    '%252f',
    '%25252f',
    '\\',
    '%09',
    '%0a',
    '%00',
    '@',
    ':',
    'evil.com',
    'a',
    '?',
    '#',
    '%3f',
    ' ',
  ];
  const corpus: string[] = [];
  const grow = (prefix: string, depth: number) => {
    corpus.push(prefix);
    if (depth === 0) return;
    for (const piece of pieces) grow(prefix + piece, depth - 1);
  };
  grow('/', 3);

  it(`never yields a path that leaves the origin (${corpus.length} candidates)`, () => {
    const escapes: string[] = [];
    for (const candidate of corpus) {
      const result = safeNextPath(candidate, '/fallback');
      if (result === '/fallback') continue;
      for (const form of decodings(result)) {
        if (!form.startsWith('/') || /^\/[/\\]/.test(form) || landsOn(form) !== 'portal.example' || /[\\\x00-\x1f]/.test(form))
          escapes.push(`${JSON.stringify(candidate)} → ${JSON.stringify(result)}`);
      }
    }
    expect(escapes).toEqual([]);
  });

  it('still lets ordinary paths through', () => {
    const kept = corpus.filter((candidate) => safeNextPath(candidate, '/fallback') !== '/fallback');
    expect(kept.length).toBeGreaterThan(corpus.length / 4);
  });
});
