'use client';

import { AuthProvider, Descope } from '@descope/nextjs-sdk';
import { useState } from 'react';

interface Props {
  projectId: string;
  baseUrl: string | undefined;
  flowId: string;
  next: string;
}

/**
 * Hosts the Descope flow. On success the tokens go straight to /auth/session, which verifies them
 * and sets HttpOnly cookies: the refresh token never stays in browser storage.
 */
export function DescopeLogin({ projectId, baseUrl, flowId, next }: Props) {
  const [error, setError] = useState<string>();
  async function storeSession(detail: { sessionJwt?: string; refreshJwt?: string }) {
    const response = await fetch('/auth/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // The fragment of a deep link never reached the server; the handler checks it before use.
      body: JSON.stringify({ sessionJwt: detail.sessionJwt, refreshJwt: detail.refreshJwt, next, fragment: window.location.hash }),
    });
    const body = (await response.json().catch(() => ({}))) as { location?: string; message?: string };
    if (response.ok && body.location) window.location.assign(body.location);
    else setError(body.message ?? 'sign-in failed');
  }
  return (
    <AuthProvider projectId={projectId} baseUrl={baseUrl} persistTokens={false}>
      <Descope flowId={flowId} onSuccess={(event) => void storeSession(event.detail)} onError={() => setError('the sign-in flow failed; try again')} />
      {error && (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {error}
        </p>
      )}
    </AuthProvider>
  );
}
