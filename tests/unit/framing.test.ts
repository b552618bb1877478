import { describe, expect, it } from 'vitest';
import { requestFraming } from '@/lib/gateway/framing';

describe('requestFraming', () => {
  it.each([
    ['POST', '1.1', {}, { kind: 'none' }],
    ['POST', '1.1', { 'content-length': '0' }, { kind: 'none' }],
    ['POST', '1.1', { 'content-length': '12' }, { kind: 'length', length: 12 }],
    ['PUT', '1.1', { 'transfer-encoding': 'Chunked' }, { kind: 'chunked' }],
    ['DELETE', '1.1', { 'transfer-encoding': 'chunked' }, { kind: 'chunked' }],
    ['GET', '1.1', { 'content-length': '0' }, { kind: 'none' }],
    ['POST', '1.0', { 'content-length': '3' }, { kind: 'length', length: 3 }],
  ] as const)('%s HTTP/%s %j is %j', (method, version, headers, body) => {
    expect(requestFraming(method, version, headers)).toEqual({ ok: true, body });
  });

  it.each([
    ['POST', '1.1', { 'transfer-encoding': 'chunked', 'content-length': '3' }, /both/],
    ['POST', '1.1', { 'transfer-encoding': 'gzip, chunked' }, /not supported/],
    ['POST', '1.1', { 'transfer-encoding': 'chunked, chunked' }, /not supported/],
    ['POST', '1.1', { 'transfer-encoding': 'identity' }, /not supported/],
    ['POST', '1.0', { 'transfer-encoding': 'chunked' }, /HTTP\/1\.0/],
    ['POST', '1.1', { 'content-length': '3, 3' }, /one whole number/],
    ['POST', '1.1', { 'content-length': '+3' }, /one whole number/],
    ['POST', '1.1', { 'content-length': '0x10' }, /one whole number/],
    ['POST', '1.1', { 'content-length': '9999999999999999' }, /one whole number/],
    ['GET', '1.1', { 'content-length': '3' }, /GET requests must not carry a body/],
    ['GET', '1.1', { 'transfer-encoding': 'chunked' }, /GET requests must not carry a body/],
    ['HEAD', '1.1', { 'content-length': '1' }, /HEAD/],
    ['OPTIONS', '1.1', { 'transfer-encoding': 'chunked' }, /OPTIONS/],
  ] as const)('refuses %s HTTP/%s %j', (method, version, headers, reason) => {
    const framing = requestFraming(method, version, headers);
    expect(framing.ok).toBe(false);
    expect(!framing.ok && framing.message).toMatch(reason);
  });
});
