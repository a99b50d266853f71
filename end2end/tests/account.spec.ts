import { test, expect, openInApp, signIn, createContact } from './fixtures';
import type { Browser, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

// The account page (/account): changing one's password, the browsers one is signed in with,
// signing one out, signing out everywhere, downloading one's data, deleting the account. Each test has a person of its own (created with the
// admin command), so no other spec's demo person loses her password or sessions.

const firstPassword = 'quiet-harbour-lights';
const newPassword = 'silver-otter-morning-tide';

/** Signs `email` in with `firstPassword` in a browser context of its own: another browser. */
async function otherBrowser(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, firstPassword);
  return page;
}

async function openAccount(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('link', { name: 'Account' }).click();
  await expect(page).toHaveURL('/account');
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
}

function sessions(page: Page) {
  return page.locator('.session-list > li');
}

test('the account page asks to sign in first, then changes the password', async ({ page }) => {
  const email = 'nina.change@northwind.example';
  createContact(email, 'Nina Change', firstPassword);
  await openInApp(page, '/account');
  await expect(page).toHaveURL('/signin?next=%2Faccount');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(firstPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/account');

  await page.getByLabel('Current password').fill(firstPassword);
  await page.getByLabel('New password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  const changed = page.getByRole('status').filter({ hasText: 'Your password has been changed' });
  await expect(changed).toBeVisible();
  await expect(changed).toBeFocused();
  await expect(page.getByLabel('Current password')).toHaveValue('');
  await expect(page.getByLabel('New password')).toHaveValue('');

  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(firstPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('main form').getByRole('alert')).toContainText('not correct');
  await page.getByLabel('Password').fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('a guessable new password is refused beside its field, and what was typed stays', async ({ page }) => {
  const email = 'nina.weak@northwind.example';
  createContact(email, 'Nina Weak', firstPassword);
  await signIn(page, email, firstPassword);
  await openAccount(page);

  await page.getByLabel('Current password').fill(firstPassword);
  const newField = page.getByLabel('New password');
  await newField.fill('aaaaaaaaaa');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#new_password-error')).toContainText('too easy to guess');
  await expect(newField).toHaveAttribute('aria-invalid', 'true');
  await expect(newField).toBeFocused();
  await expect(newField).toHaveValue('aaaaaaaaaa');
  await expect(page.getByLabel('Current password')).toHaveValue(firstPassword);

  // Nor the e-mail address.
  await newField.fill(email);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#new_password-error')).toContainText('not your e-mail address');
});

test('another browser is listed, and signing it out sends it to sign in again', async ({ page, browser }) => {
  const email = 'nina.sessions@northwind.example';
  createContact(email, 'Nina Sessions', firstPassword);
  const phone = await otherBrowser(browser, email);
  await signIn(page, email, firstPassword);
  await openAccount(page);

  await expect(sessions(page)).toHaveCount(2);
  const here = sessions(page).filter({ hasText: 'This browser' });
  await expect(here).toHaveCount(1);
  await expect(here).toContainText('Chrome on Linux');
  await expect(here.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  const other = sessions(page).filter({ hasNotText: 'This browser' });
  await expect(other).toContainText(/Signed in (just now|\d+ min ago), last active/);

  await other.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('Chrome on Linux has been signed out.')).toBeVisible();
  await expect(sessions(page)).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Where you are signed in' })).toBeFocused();

  // The other browser still believes it is signed in, until its next request.
  await phone.getByRole('banner').getByRole('link', { name: 'My tickets' }).click();
  await expect(phone).toHaveURL('/signin?next=%2Ftickets');
  await expect(phone.getByRole('status').filter({ hasText: 'You have been signed out' })).toBeVisible();
  await expect(phone.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await phone.context().close();
});

test('signing out everywhere asks first, then signs out this browser and the others', async ({ page, browser }) => {
  const email = 'nina.everywhere@northwind.example';
  createContact(email, 'Nina Everywhere', firstPassword);
  const phone = await otherBrowser(browser, email);
  await signIn(page, email, firstPassword);
  await openAccount(page);
  await expect(sessions(page)).toHaveCount(2);

  const start = page.getByRole('button', { name: 'Sign out everywhere…' });
  await start.click();
  const question = page.getByRole('alert').filter({ hasText: 'Sign out in every browser, this one included?' });
  await expect(question).toBeVisible();
  await expect(page.getByRole('button', { name: 'Yes, sign out everywhere' })).toBeFocused();
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(start).toBeFocused();
  await expect(sessions(page)).toHaveCount(2);

  await start.click();
  await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();

  await openInApp(phone, '/tickets');
  await expect(phone).toHaveURL('/signin?next=%2Ftickets');
  await phone.context().close();
});

test('"Your data" downloads everything about the person as a dated ZIP; past the hour\'s allowance it says so and saves nothing', async ({ page }) => {
  const email = 'nina.export@northwind.example';
  createContact(email, 'Nina Export', firstPassword);
  await signIn(page, email, firstPassword);
  await openAccount(page);

  const section = page.getByRole('region', { name: 'Your data' });
  const button = section.getByRole('button', { name: 'Download your data' });
  // LANTERN_EXPORTS_PER_HOUR is 2 for the suite (playwright.config.ts).
  for (let allowed = 0; allowed < 2; allowed += 1) {
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^lantern-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
  }
  await expect(section.getByRole('alert')).toHaveCount(0);

  const saved: string[] = [];
  page.on('download', (download) => saved.push(download.suggestedFilename()));
  await button.click();
  await expect(section.getByRole('alert')).toHaveText(
    /^You have downloaded your data as often as an hour allows\. You can try again in about \d+ minutes?\.$/,
  );
  await expect(button).toBeEnabled();
  expect(saved).toEqual([]);
  await expect(page).toHaveURL('/account');
});

test('deleting the account asks for the password, says a wrong one beside it, then signs out', async ({ page }) => {
  const email = 'nina.delete@northwind.example';
  createContact(email, 'Nina Delete', firstPassword);
  await signIn(page, email, firstPassword);
  await openAccount(page);

  const start = page.getByRole('button', { name: 'Delete your account…' });
  await start.click();
  const password = page.getByRole('textbox', { name: 'Your password', exact: true });
  await expect(password).toBeFocused();
  await page.getByRole('button', { name: 'Keep my account' }).click();
  await expect(start).toBeFocused();

  await start.click();
  await password.fill('not my password');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.locator('#delete-account-password-error')).toContainText('not your current password');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toBeFocused();
  await expect(page).toHaveURL('/account');

  await password.fill(firstPassword);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();

  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(firstPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('main form').getByRole('alert')).toContainText('not correct');
});
