import { describe, expect, it } from 'vitest';
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
  it('writes the lines of one event-loop turn together, in order, one JSON object per line', async () => {
    const writes: string[] = [];
    const log = createLogger((text) => writes.push(text));
    log('info', 'first', { path: '/a' });
    log('warn', 'second', { path: '/b' });
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(
      writes[0]
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).event),
    ).toEqual(['first', 'second']);
  });
});
