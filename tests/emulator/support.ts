import DescopeClient from '@descope/node-sdk';
import { afterEach, beforeEach } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '@/tools/descope-emulator/server';

export const PROJECT_ID = 'P2emulatortest000000000000000';
export const MANAGEMENT_KEY = 'test-management-key';

export type Sdk = ReturnType<typeof DescopeClient>;

export interface SessionResponse {
  sessionJwt: string;
  refreshJwt: string;
  cookiePath: string;
  cookieExpiration: number;
  cookieMaxAge: number;
  sessionExpiration: number;
  user: { userId: string; loginIds: string[]; email: string; roleNames: string[] };
}

export const sdkFor = (emulator: Emulator, managementKey: string | undefined = MANAGEMENT_KEY): Sdk =>
  DescopeClient({ projectId: emulator.projectId, baseUrl: emulator.url, managementKey });

/** A fresh emulator and SDK client per test: tests change roles and keys, so nothing is shared. */
export function useEmulator(options: Partial<EmulatorOptions> = {}) {
  const context = {} as { emulator: Emulator; sdk: Sdk };
  beforeEach(async () => {
    context.emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY, ...options });
    context.sdk = sdkFor(context.emulator);
  });
  afterEach(() => context.emulator.close());
  return context;
}

export function postJson(emulator: Emulator, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function signIn(emulator: Emulator, loginId: string): Promise<SessionResponse> {
  const response = await postJson(emulator, '/emulator/session', { loginId });
  if (!response.ok) throw new Error(`emulator session for ${loginId}: ${response.status}`);
  return (await response.json()) as SessionResponse;
}

export async function requestCounts(emulator: Emulator): Promise<Record<string, number>> {
  return ((await (await fetch(`${emulator.url}/emulator/requests`)).json()) as { counts: Record<string, number> }).counts;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${PROJECT_ID}:${token}` });
export const nowSeconds = () => Math.floor(Date.now() / 1000);
