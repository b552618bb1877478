import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { DEMO_MANAGEMENT_KEY, DEMO_PROJECT_ID } from '../../../tools/local-stack/stack';

/** Straight to the emulator, past the portal: what Descope really holds, plus its outage switch. */
export class DescopeDirectory {
  private readonly url: string;

  constructor() {
    const url = process.env.E2E_EMULATOR_URL;
    if (!url) throw new Error('E2E_EMULATOR_URL is not set: run through playwright.config.ts');
    this.url = url;
  }

  private async call(path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${DEMO_PROJECT_ID}:${DEMO_MANAGEMENT_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`emulator ${path} answered ${response.status}`);
    return response.json();
  }

  async rolesOf(loginId: string): Promise<string[]> {
    const { user } = (await this.call(`/v1/mgmt/user?loginId=${encodeURIComponent(loginId)}`)) as { user: { roleNames: string[] } };
    return user.roleNames;
  }

  async setRoles(loginId: string, roleNames: string[]): Promise<void> {
    await this.call('/v1/mgmt/user/update/role/set', { loginId, roleNames });
  }

  async statusOf(loginId: string): Promise<string> {
    const { user } = (await this.call(`/v1/mgmt/user?loginId=${encodeURIComponent(loginId)}`)) as { user: { status: string } };
    return user.status;
  }

  async setStatus(loginId: string, status: 'enabled' | 'disabled'): Promise<void> {
    await this.call('/v1/mgmt/user/update/status', { loginId, status });
  }

  /** A key bound to the user, made straight at Descope (as a key from any other tool would be); its cleartext. */
  async createKeyFor(loginId: string, name: string): Promise<string> {
    const { user } = (await this.call(`/v1/mgmt/user?loginId=${encodeURIComponent(loginId)}`)) as { user: { userId: string } };
    const { cleartext } = (await this.call('/v1/mgmt/accesskey/create', { name, expireTime: 0, userId: user.userId })) as { cleartext: string };
    return cleartext;
  }

  async keyIdsOf(userId: string): Promise<string[]> {
    const { keys } = (await this.call('/v1/mgmt/accesskey/search', { boundUserId: userId })) as { keys: { id: string }[] };
    return keys.map((key) => key.id);
  }

  /** Every Descope endpoint answers 500 (not 503, which the SDK would retry for ~10 s). */
  async outage(on: boolean): Promise<void> {
    await this.call('/emulator/outage', { on, status: 500 });
  }
}

/** The id Next gave a server action in this build (server-reference-manifest.json), by file and export. */
export function serverActionIds(file: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(resolve('.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const ids = Object.entries(manifest.node)
    .filter(([, entry]) => entry.filename === file && entry.exportedName)
    .map(([id, entry]) => [entry.exportedName as string, id]);
  if (ids.length === 0) throw new Error(`no server actions from ${file} in the build: run next build first`);
  return Object.fromEntries(ids);
}

/** Calls a server action the way Next's client does, but by hand: from any session, to any page. */
export function callServerAction(request: APIRequestContext, path: string, actionId: string, args: unknown[]) {
  return request.post(path, {
    headers: { 'next-action': actionId, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component' },
    data: JSON.stringify(args),
  });
}
