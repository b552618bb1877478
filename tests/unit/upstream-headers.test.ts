import { describe, expect, it } from 'vitest';
import { upstreamHeaders } from '@/lib/gateway/upstream-headers';
import type { Identity } from '@/lib/auth/identity';

const identity: Identity = {
  userId: 'U2real',
  username: 'real',
  email: 'real@example.com',
  name: 'José Real',
  roles: ['mlflow-editor'],
  permissions: ['p1'],
  tenants: ['T-acme'],
  tenantRoles: { 'T-acme': [] },
  mlflowPermission: 'EDIT',
  isAdmin: false,
  via: 'cookie',
};

const context = {
  method: 'POST',
  identity,
  upstreamHost: '127.0.0.1:5000',
  clientIp: '127.0.0.1',
  proto: 'http' as const,
  requestId: 'r1',
  body: { kind: 'length' as const, length: 12 },
};

describe('upstreamHeaders: strip, then inject', () => {
  it('removes every client-sent identity header, in any spelling, before setting ours', () => {
    const headers = upstreamHeaders(
      {
        'x-descope-user-id': 'U2admin',
        'x-descope-roles': 'admin',
        x_descope_username: 'admin',
        'x-forwarded-user': 'admin',
        x_forwarded_user: 'admin',
        'x-forwarded-email': 'admin@example.com',
        'x-forwarded-host': 'evil.com',
        'x-forwarded-uri': '/auth/health',
        'remote-user': 'admin',
        remote_user: 'admin',
        'x-remote-user': 'admin',
        'x-auth-request-user': 'admin',
        forwarded: 'for=1.2.3.4',
        'x-real-ip': '1.2.3.4',
      },
      context,
    );
    expect(headers['x-descope-user-id']).toBe('U2real');
    expect(headers['x-descope-roles']).toBe('mlflow-editor');
    expect(headers['x-forwarded-user']).toBe('real');
    expect(headers['x-forwarded-email']).toBe('real@example.com');
    for (const name of [
      'x_descope_username',
      'x_forwarded_user',
      'x-forwarded-host',
      'x-forwarded-uri',
      'remote-user',
      'remote_user',
      'x-remote-user',
      'x-auth-request-user',
      'forwarded',
      'x-real-ip',
    ]) {
      expect(headers, name).not.toHaveProperty(name);
    }
  });

  it('drops the portal credentials, Origin, method overrides and hop-by-hop headers', () => {
    const headers = upstreamHeaders(
      {
        authorization: 'Bearer secret',
        cookie: 'DS=a; DSR=b',
        origin: 'http://portal',
        'x-http-method-override': 'DELETE',
        'x-mlflow-assistant-delegation': 'forged',
        'x-mlflow-authorization': 'Basic forged',
        'x-descope-assertion': 'eyJforged',
        'x-mlflow-workspace': 'team-a',
        connection: 'keep-alive, x-custom',
        'x-custom': 'hop',
        expect: '100-continue',
        'transfer-encoding': 'chunked',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'content-type': 'application/json',
        'content-length': '12',
        host: 'portal.example.com',
      },
      context,
    );
    expect(headers['x-mlflow-workspace']).toBe('team-a');
    for (const name of [
      'authorization',
      'cookie',
      'origin',
      'x-http-method-override',
      'x-mlflow-assistant-delegation',
      'x-mlflow-authorization',
      'x-descope-assertion',
      'connection',
      'x-custom',
      'expect',
      'transfer-encoding',
      'keep-alive',
      'te',
    ]) {
      expect(headers, name).not.toHaveProperty(name);
    }
    expect(headers['content-type']).toBe('application/json');
    expect(headers['content-length']).toBe('12');
    expect(headers.host).toBe('127.0.0.1:5000');
  });

  it('percent-encodes non-ASCII identity values instead of failing the request', () => {
    const headers = upstreamHeaders({}, { ...context, identity: { ...identity, username: 'José' } });
    expect(headers['x-descope-username']).toBe('Jos%C3%A9');
  });

  it("frames the body itself: the client's framing never passes, whatever Connection lists", () => {
    const client = {
      'content-length': '99',
      'transfer-encoding': 'chunked',
      transfer_encoding: 'chunked',
      content_length: '5',
      connection: 'content-length, transfer-encoding',
    };
    const framed = (method: string, body: Parameters<typeof upstreamHeaders>[1]['body']) => {
      const headers = upstreamHeaders(client, { ...context, method, body });
      return [headers['content-length'], headers['transfer-encoding'], headers.transfer_encoding, headers.content_length];
    };
    expect(framed('POST', { kind: 'length', length: 7 })).toEqual(['7', undefined, undefined, undefined]);
    expect(framed('PUT', { kind: 'chunked' })).toEqual([undefined, 'chunked', undefined, undefined]);
    expect(framed('DELETE', { kind: 'none' })).toEqual(['0', undefined, undefined, undefined]);
    expect(framed('GET', { kind: 'none' })).toEqual([undefined, undefined, undefined, undefined]);
  });
});
