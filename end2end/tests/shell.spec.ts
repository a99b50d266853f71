import { test, expect, demo, signIn, openInApp } from './fixtures';

// A real article of content/kb, which the test server imports.
const articleSlug = 'choose-which-folders-sync';

const publicRoutes = [
  '/',
  `/kb/${articleSlug}`,
  '/support',
  '/signin',
  '/register',
  '/reset-password',
];
// A ticket's own page (/tickets/:number) is covered with real tickets in my-tickets.spec.ts.
const signedInRoutes = ['/tickets', '/tickets/new'];

/** The app rendered a page of its own at `path`: header, a main heading, not the not-found page. */
async function expectPage(page: import('@playwright/test').Page, path: string) {
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.locator('main h1').first(), `heading of ${path}`).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Page not found' })).toHaveCount(0);
  await expect(page).toHaveTitle(/Lantern Support/);
}

test('every public route renders its page', async ({ page }) => {
  for (const path of publicRoutes) {
    await page.goto(path);
    await expect(page).toHaveURL(path);
    await expectPage(page, path);
  }
});

test('every ticket route renders its page for a signed-in person', async ({ page }) => {
  await signIn(page, demo.alice.email);
  for (const path of signedInRoutes) {
    await page.goto(path);
    await expect(page).toHaveURL(path);
    await expectPage(page, path);
  }
});

test('a bad address shows the not-found page with a way back', async ({ page }) => {
  await openInApp(page, '/no/such/page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page).toHaveTitle('Page not found · Lantern Support');
  await page.getByRole('link', { name: 'Search the knowledge base' }).click();
  await expect(page).toHaveURL('/');
});

test('the header navigates and the back button retraces the steps', async ({ page }) => {
  await openInApp(page, '/');
  const nav = page.getByRole('navigation', { name: 'Main' });

  await nav.getByRole('link', { name: 'Support' }).click();
  await expect(page).toHaveURL('/support');
  await expect(nav.getByRole('link', { name: 'Support' })).toHaveAttribute('aria-current', 'page');

  await nav.getByRole('link', { name: 'Knowledge base' }).click();
  await expect(page).toHaveURL('/');
  await expect(nav.getByRole('link', { name: 'Knowledge base' })).toHaveAttribute('aria-current', 'page');

  await page.goBack();
  await expect(page).toHaveURL('/support');
  await expect(page.locator('main h1').first()).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL('/');
  await page.goForward();
  await expect(page).toHaveURL('/support');
});

test('the skip link moves keyboard focus to the content', async ({ page }) => {
  await openInApp(page, '/support');
  await expect(page.locator('main h1').first()).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});

test('on a 360 px screen the header is one row, and its menu opens and closes with the keyboard', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await signIn(page, demo.alice.email);
  await openInApp(page, '/support');
  const header = page.getByRole('banner');
  // One row: the brand, the menu's button and the account, each one control high.
  expect((await header.boundingBox())?.height).toBeLessThanOrEqual(72);
  await expect(header.getByRole('button', { name: 'Sign out' })).toBeInViewport();
  const nav = page.getByRole('navigation', { name: 'Main' });
  const menu = nav.locator('details');
  const links = ['Knowledge base', 'New ticket', 'My tickets', 'Support'];
  await expect(nav.getByRole('link', { name: 'Support' })).toBeHidden();

  await header.locator('.brand').focus();
  await page.keyboard.press('Tab');
  await expect(nav.getByText('Menu')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveJSProperty('open', true);
  for (const name of links) {
    await expect(nav.getByRole('link', { name })).toBeInViewport();
  }
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'Knowledge base' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveJSProperty('open', false);
  await expect(nav.getByText('Menu')).toBeFocused();

  // A chosen link opens its page with the menu closed.
  await page.keyboard.press('Enter');
  await nav.getByRole('link', { name: 'My tickets' }).click();
  await expect(page).toHaveURL('/tickets');
  await expect(menu).toHaveJSProperty('open', false);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('a page whose data fails to load shows a readable message, and the app recovers', async ({ page }) => {
  // The support page opened in the app loads the policy (the server's page comes with it);
  // make that answer fail the way a broken server would.
  await page.route('**/api/v1/policy', (route) =>
    route.fulfill({
      status: 404,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'not_found', message: 'The support policy is missing.' } }),
    }),
  );
  await openInApp(page, '/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Support' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Something went wrong' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('The support policy is missing.');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge base' }).click();
  await expect(page.getByRole('heading', { name: 'Something went wrong' })).toHaveCount(0);
  await expect(page.locator('main h1').first()).toBeVisible();
});
