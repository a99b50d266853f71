import { test as base, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { databaseUrl } from '../playwright.config';

/**
 * Every spec imports `test` from here: it fails any test during which the page logged a console
 * error or threw, so a broken page cannot pass by accident.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' && !isExpectedHttpError(message.text())) {
          errors.push(message.text());
        }
      });
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      expect(errors, 'console errors on the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

// Chromium logs every failed fetch ("Failed to load resource: ... 404/401/422") as a console
// error; those are answers the app handles (a not-found article, a wrong password, a busy
// server's 503), not faults.
function isExpectedHttpError(text: string): boolean {
  return /Failed to load resource: the server responded with a status of (4\d\d|503)/.test(text);
}

export const demo = {
  password: 'bright-lantern-demo',
  alice: { email: 'alice@northwind.example', name: 'Alice Andersen' },
  olivia: { email: 'olivia@northwind.example', name: 'Olivia Ortiz' },
  carl: { email: 'carl@contoso.example', name: 'Carl Carter' },
};

/**
 * The visitor sets out to use the page the server rendered: a key press, which moves nothing.
 * public/boot.js fetches the app at the first key, focus or press on a control, not before.
 */
export async function startTheApp(page: Page): Promise<void> {
  await page.keyboard.press('Shift');
}

/**
 * Opens `path` and waits until the app has taken over the page the server rendered (the app
 * is fetched only once the visitor acts on that page: [startTheApp]). Before that, links are
 * plain links and buttons do nothing; tests of what the app does start from here.
 */
export async function openInApp(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await startTheApp(page);
  await expect(page.locator('#server-page')).toHaveCount(0);
}

/** Signs in through the real sign-in page. */
export async function signIn(page: Page, email: string, password = demo.password): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/**
 * Creates a Northwind Traders contact who can sign in with `password`, with the admin command on
 * the suite's database: for specs that change a person's password or sessions, which must not
 * be the demo people every other spec signs in as.
 */
export function createContact(email: string, name: string, password: string): void {
  const repo = path.resolve(__dirname, '../..');
  execFileSync(
    `${repo}/target/debug/lantern-server`,
    ['admin', 'create-contact', '--org', 'Northwind Traders', '--email', email, '--name', name, '--password', password],
    { cwd: repo, env: { ...process.env, LANTERN_DATABASE_URL: databaseUrl, LANTERN_LOG: 'warn' }, stdio: 'pipe' },
  );
}
