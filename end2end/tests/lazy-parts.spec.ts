import { test as plainTest } from '@playwright/test';
import { test, expect, openInApp } from './fixtures';

// Every page but the home page is a lazily loaded WebAssembly part (src/app.rs, split off by `cargo xtask app`).

const supportPart = /\/split___support_route_view_\w+-[0-9a-f]{16}\.wasm$/;
const anyPagePart = /\/split___\w+\.wasm$/;

test('the home page loads no other page, and a page loads its own part when opened', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await openInApp(page, '/');
  await expect(page.getByRole('combobox', { name: 'Search the knowledge base' })).toBeEnabled();
  expect(fetched.filter((path) => anyPagePart.test(path))).toEqual([]);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Support' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page).toHaveURL('/support');
  expect(fetched.filter((path) => supportPart.test(path))).toHaveLength(1);
});

test("while a page's part is on the way, a loading bar shows and the content is marked busy", async ({ page }) => {
  await page.route(supportPart, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await openInApp(page, '/');
  await expect(page.getByRole('combobox', { name: 'Search the knowledge base' })).toBeEnabled();
  const bar = page.getByRole('progressbar', { name: 'Opening the page' });
  await expect(bar).toBeHidden();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Support' }).click();
  await expect(bar).toBeVisible();
  await expect(page.locator('main')).toHaveAttribute('aria-busy', 'true');

  await expect(page).toHaveURL('/support');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(bar).toBeHidden();
  await expect(page.locator('main')).toHaveAttribute('aria-busy', 'false');
});

// The fixtures' `test` fails on console errors; this one provokes some on purpose.
plainTest('a part that cannot be fetched (the app was updated meanwhile) loads the clicked page afresh, which then works', async ({ page }) => {
  let refused = 0;
  await page.route(supportPart, async (route) => {
    if (refused === 0) {
      refused += 1;
      await route.fulfill({ status: 404, body: 'gone' });
    } else {
      await route.continue();
    }
  });
  await openInApp(page, '/');
  await expect(page.getByRole('combobox', { name: 'Search the knowledge base' })).toBeEnabled();
  const reloaded = page.waitForEvent('load');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Support' }).click();
  await reloaded;
  await expect(page).toHaveURL('/support');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(refused).toBe(1);
});
