import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { test, expect, signIn } from './fixtures';
import { ProfilePage } from './pages/profile-page';
import { DescopeDirectory, callServerAction, serverActionIds } from './pages/descope-directory';

const ADMIN_ID = 'U2emuAdmin000000000000000001';

/** A program holding one credential as a bearer token: no cookies, no browser. */
async function withBearer<T>(baseURL: string | undefined, token: string, run: (client: APIRequestContext) => Promise<T>): Promise<T> {
  const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  try {
    return await run(client);
  } finally {
    await client.dispose();
  }
}

// Finding 3 of the attack run: the profile's actions took any credential. Every server action that
// manages credentials or roles is replayed here with an access key and with a bare session token.
test('an access key or a bearer session token cannot mint, revoke or grant anything through server actions', async ({ page, baseURL }) => {
  await signIn(page, 'admin@example.com', '/profile');
  const profile = new ProfilePage(page);
  await profile.createKey('confusion probe', 'In 30 days');
  const key = await profile.newKey();
  await profile.closeNewKeyDialog();
  const directory = new DescopeDirectory();
  const keysBefore = await directory.keyIdsOf(ADMIN_ID);
  const [probeKeyId] = keysBefore;
  const sessionToken = (await page.context().cookies()).find((cookie) => cookie.name === 'DS')?.value;
  expect(sessionToken, 'the browser holds a session cookie').toBeTruthy();

  const { createAccessKey, revokeAccessKey } = serverActionIds('lib/profile/actions.ts');
  const { grantRole, revokeRole } = serverActionIds('lib/admin/actions.ts');
  const editorRolesBefore = await directory.rolesOf('editor@example.com');
  const replays: [string, string, unknown[]][] = [
    ['/profile', createAccessKey, [{ name: 'minted by a key', expiry: 'never' }]],
    ['/profile', revokeAccessKey, [{ keyId: probeKeyId }]],
    ['/admin', grantRole, [{ loginId: 'editor@example.com', role: 'mlflow-admin' }]],
    ['/admin', revokeRole, [{ loginId: 'editor@example.com', role: 'mlflow-editor' }]],
  ];
  for (const credential of [key, sessionToken as string]) {
    await withBearer(baseURL, credential, async (client) => {
      for (const [path, actionId, args] of replays) {
        const answer = await callServerAction(client, path, actionId, args);
        const body = await answer.text();
        // Refused as a result, or sent to sign in; never an ok result.
        expect(body, `${path} ${actionId}`).not.toContain('"ok":true');
        expect([200, 303, 307, 401, 403]).toContain(answer.status());
      }
    });
  }
  expect(await directory.keyIdsOf(ADMIN_ID)).toEqual(keysBefore);
  expect(await directory.rolesOf('editor@example.com')).toEqual(editorRolesBefore);
  // Control: the same replay from the browser session works, so the refusals above are the gate's.
  const control = await callServerAction(page.request, '/profile', createAccessKey, [{ name: 'minted by the browser', expiry: '30' }]);
  expect(await control.text()).toContain('"ok":true');
  await page.reload();
  await profile.revokeKey('minted by the browser');
  // The key itself still works for what it is for: MLflow.
  await withBearer(baseURL, key, async (client) => {
    expect((await client.get('/mlflow/api/2.0/mlflow/experiments/search?max_results=1')).status()).toBe(200);
  });
  await profile.revokeKey('confusion probe');
});
