import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, redact } from '@/lib/observability/log';

describe('redact', () => {
  it('returns text without anything secret-shaped unchanged', () => {
    const path = '/mlflow/api/2.0/mlflow/runs/get';
    expect(redact(path)).toBe(path);
  });

  it('still removes JWTs, Authorization values and secret parameters', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJVMnVzZXIifQ.c2lnbmF0dXJl';
    expect(redact(`token ${jwt}`)).toBe('token [redacted]');
    expect(redact('sent Bearer K2abc:def')).toBe('sent [redacted]');
    expect(redact('BASIC dXNlcjpwYXNz')).toBe('[redacted]');
    expect(redact('a DS=abc; key=xyz')).toBe('a DS=[redacted]; key=[redacted]');
  });
});

describe('log', () => {
  afterEach(() => void vi.useRealTimers());

  it('writes the lines of a few milliseconds together, in order, one JSON object per line', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = createLogger((text) => writes.push(text));
    log('info', 'first', { path: '/a' });
    log('warn', 'second', { path: '/b' });
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(writes).toHaveLength(1);
    expect(
      writes[0]
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).event),
    ).toEqual(['first', 'second']);
  });

  it('writes at once when 64 KiB of lines are waiting, and loses none', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const log = createLogger((text) => writes.push(text));
    for (let i = 0; i < 1000; i += 1) log('info', 'request', { status: i, path: `/mlflow/${'x'.repeat(100)}` });
    expect(writes.length).toBeGreaterThan(0);
    vi.advanceTimersByTime(10);
    const statuses = writes
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).status);
    expect(statuses).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});
