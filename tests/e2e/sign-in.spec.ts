import { LoginPage } from './pages/login-page';
import { test, expect, emulatorSessionJwt, saveScreenshot } from './fixtures';

test('a fresh browser is sent to login, signs in as a demo user and returns to the page', async ({ page, loginPage }) => {
  await page.goto('/profile');
  await loginPage.expectShown('/profile');
  await expect(page.getByTestId('login-mode')).toContainText('Local emulator mode');
  await saveScreenshot(page, 'login');

  await loginPage.signInAs('editor@example.com');
  await expect(page).toHaveURL('/profile');
  await expect(page.getByTestId('profile-email')).toHaveText('editor@example.com');
  await expect(page.getByTestId('mlflow-permission')).toHaveText('EDIT');

  const cookies = await page.context().cookies();
  const refresh = cookies.find((cookie) => cookie.name === 'DSR');
  expect(refresh?.httpOnly).toBe(true);
  expect(refresh?.sameSite).toBe('Lax');
});

test('/auth/user shows the signed-in user', async ({ page, loginPage }) => {
  await page.goto('/');
  await loginPage.signInAs('admin@example.com');
  const response = await page.request.get('/auth/user');
  expect(response.status()).toBe(200);
  const user = await response.json();
  expect(user).toMatchObject({ email: 'admin@example.com', mlflowPermission: 'MANAGE', isAdmin: true, roles: ['admin'] });
});

test('sign-out clears the session', async ({ page, loginPage }) => {
  await page.goto('/');
  await loginPage.signInAs('reader@example.com');
  await expect(page.getByTestId('signed-in-user')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await loginPage.expectShown();
  expect((await page.context().cookies()).filter((cookie) => cookie.name === 'DS' || cookie.name === 'DSR')).toEqual([]);
  expect((await page.request.get('/auth/user')).status()).toBe(401);
  await page.goto('/profile');
  await loginPage.expectShown('/profile');
});

test('a user with no MLflow access is stopped at login with an explanation', async ({ page, loginPage }) => {
  // norole@example.com gets DESCOPE_DEFAULT_PERMISSION (READ here), so it signs in; the NONE case is
  // covered against a portal started with DESCOPE_DEFAULT_PERMISSION=NONE in the integration suite.
  await page.goto('/');
  await loginPage.signInAs('norole@example.com');
  await expect(page.getByTestId('mlflow-permission')).toHaveText('READ');
});

test('an open-redirect next parameter lands on the portal home', async ({ page, loginPage }) => {
  await page.goto('/auth/login?next=%2F%2Fevil.example');
  await loginPage.signInAs('reader@example.com');
  await expect(page).toHaveURL('/');
});

// Finding 2 of the attack run: dot segments that resolve to `//host`. Signed in, the login page
// redirects at once; the sign-in itself goes through /auth/login/demo. Both must stay on the portal.
for (const next of ['%2F.%2F%2Fevil.example', '%2F%252e%2F%2Fevil.example', '%2Fa%2F..%2F%2Fevil.example', '%2F%5C.%2Fevil.example']) {
  test(`next=${next} stays on the portal, signing in and already signed in`, async ({ page, loginPage, baseURL }) => {
    await page.goto(`/auth/login?next=${next}`);
    await loginPage.signInAs('reader@example.com');
    expect(new URL(page.url()).origin).toBe(baseURL);
    const again = await page.request.get(`/auth/login?next=${next}`, { maxRedirects: 0 });
    const location = again.headers().location ?? '';
    expect(location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\'), location).toBe(true);
    expect(new URL(location, baseURL).origin).toBe(baseURL);
  });
}

test('a deep link into MLflow survives sign-in: its #fragment is carried through the login page and back', async ({ page, baseURL }) => {
  // An experiment to link to, made through the portal's API by the editor.
  const sessionJwt = await emulatorSessionJwt(process.env.E2E_EMULATOR_URL!, 'editor@example.com');
  const name = `deep-link-${Date.now()}`;
  const created = await fetch(`${baseURL}/mlflow/api/2.0/mlflow/experiments/create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sessionJwt}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  const { experiment_id: id } = (await created.json()) as { experiment_id: string };

  await page.goto(`/mlflow/#/experiments/${id}`);
  // The server only saw /mlflow/; the browser kept the fragment on the login page's URL.
  await expect(page).toHaveURL(`/auth/login?next=%2Fmlflow%2F#/experiments/${id}`);
  await expect(page.getByTestId('login-fragment').first()).toHaveValue(`#/experiments/${id}`);
  await new LoginPage(page).signInAs('editor@example.com');
  await expect(page).toHaveURL(`/mlflow/#/experiments/${id}`);
  await expect(page.getByText(name).first()).toBeVisible();
  await saveScreenshot(page, 'deep-link-after-sign-in');
});
