import { test, expect, demo, signIn, openInApp } from './fixtures';

test('signing in shows the name in the header, signing out removes it', async ({ page }) => {
  await signIn(page, demo.alice.email);
  const header = page.getByRole('banner');
  await expect(header.getByText(demo.alice.name)).toBeVisible();
  await expect(page).toHaveURL('/');

  // The session survives a reload: it lives in the server's cookie, not in the page.
  await page.reload();
  await expect(header.getByText(demo.alice.name)).toBeVisible();

  await header.getByRole('button', { name: 'Sign out' }).click();
  await expect(header.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(header.getByText(demo.alice.name)).toHaveCount(0);
  await expect(page).toHaveURL('/');

  await page.reload();
  await expect(header.getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('a wrong password shows the error beside the form', async ({ page }) => {
  await openInApp(page, '/signin');
  await page.getByLabel('E-mail').fill(demo.alice.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  const form = page.locator('main form');
  const alert = form.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).not.toBeEmpty();
  await expect(page).toHaveURL('/signin');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  // The button is usable again for the next attempt.
  await expect(form.getByRole('button', { name: 'Sign in' })).toBeEnabled();
});

test('a protected page sends a signed-out person to sign in, and back afterwards', async ({ page }) => {
  await openInApp(page, '/tickets');
  await expect(page).toHaveURL('/signin?next=%2Ftickets');
  await page.getByLabel('E-mail').fill(demo.carl.email);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL('/tickets');
  await expect(page.getByRole('banner').getByText(demo.carl.name)).toBeVisible();
  // The redirect replaced the history entry, so back does not bounce to the sign-in page.
  await page.goBack();
  await expect(page).not.toHaveURL(/\/signin/);
});

test('the sign-in link in the header returns to the page it was clicked on', async ({ page }) => {
  await openInApp(page, '/support');
  await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/signin?next=%2Fsupport');
  await page.getByLabel('E-mail').fill(demo.olivia.email);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/support');
});

test('sign-in never forwards to another site', async ({ page }) => {
  await openInApp(page, '/signin?next=//evil.example/');
  await page.getByLabel('E-mail').fill(demo.alice.email);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner').getByText(demo.alice.name)).toBeVisible();
  await expect(page).toHaveURL('/');
});

test('signing out on a protected page leads home, not to the sign-in page', async ({ page }) => {
  await signIn(page, demo.alice.email);
  await openInApp(page, '/tickets');
  await expect(page.getByRole('banner').getByText(demo.alice.name)).toBeVisible();
  // The page itself is a lazily loaded part: the header can show the name before it is there.
  await expect(page.getByRole('heading', { level: 1, name: 'My tickets' })).toBeVisible();
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL('/');
});

test('asking for a password reset confirms without saying whether the account exists', async ({ page }) => {
  await openInApp(page, '/signin');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL('/reset-password');
  await page.getByLabel('E-mail').fill('nobody@nowhere.example');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account exists for nobody@nowhere.example');
});

test('an unknown invitation link says so beside the form', async ({ page }) => {
  await openInApp(page, '/invitations/not-a-real-token');
  await page.getByLabel('Your name').fill('Nina New');
  await page.getByLabel('Password').fill('a-long-enough-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('main form').getByRole('alert')).not.toBeEmpty();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('after signing in, the focus is on the main heading of the page the person continues to', async ({ page }) => {
  await openInApp(page, '/tickets');
  await expect(page).toHaveURL('/signin?next=%2Ftickets');
  await page.getByLabel('E-mail').fill(demo.carl.email);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Sign in' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/tickets');
  await expect(page.locator('main h1')).toBeFocused();
});

test('after a wrong password, the focus is on the password field to try again', async ({ page }) => {
  await openInApp(page, '/signin');
  await page.getByLabel('E-mail').fill(demo.alice.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('main form').getByRole('alert')).not.toBeEmpty();
  await expect(page.getByLabel('Password')).toBeFocused();
});

test('a busy server and too many attempts say when to try again, and keep what was typed', async ({ page }) => {
  // The answers of the server's limits, as the hashing queue and the throttle give them.
  const answers = [
    { status: 503, retryAfter: '3', code: 'overloaded', message: 'The server is busy. Please try again in a moment.' },
    { status: 429, retryAfter: '120', code: 'rate_limited', message: 'Too many attempts. Try again in 2 minutes.' },
  ];
  let next = 0;
  await page.route('**/api/v1/session', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const answer = answers[next++];
    await route.fulfill({
      status: answer.status,
      headers: { 'Retry-After': answer.retryAfter },
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: answer.code, message: answer.message, fields: {} } }),
    });
  });
  await openInApp(page, '/signin');
  await page.getByLabel('E-mail').fill(demo.alice.email);
  await page.getByLabel('Password').fill(demo.password);
  const alert = page.locator('main form').getByRole('alert');

  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alert).toHaveText('Lantern is busy right now. You can try again in 3 seconds.');
  await expect(page.getByLabel('E-mail')).toHaveValue(demo.alice.email);
  await expect(page.getByLabel('Password')).toHaveValue(demo.password);

  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alert).toHaveText('Too many attempts in a short time. You can try again in about 2 minutes.');
  await expect(page.getByLabel('Password')).toHaveValue(demo.password);
});
