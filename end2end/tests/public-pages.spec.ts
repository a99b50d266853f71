import { test, expect } from '@playwright/test';

// The public help centre as the server renders it: readable, and its links working, without
// JavaScript (as search engines and link previews read it, and as a phone shows it before the
// app has loaded).

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an article is readable and its breadcrumb leads to its category', async ({ page }) => {
    const response = await page.goto('/kb/restore-a-backup');
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle('Restore a backup · Lantern Support');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Restore a backup');
    const body = page.locator('.kb-article-body');
    await expect(body.getByRole('heading', { level: 2 }).first()).toBeVisible();
    await expect(page.getByRole('region', { name: 'Related articles' }).getByRole('link')).not.toHaveCount(0);
    // No note that the page needs JavaScript: it does not.
    await expect(page.getByText('needs JavaScript')).toHaveCount(0);

    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Backup & restore' }).click();
    await expect(page).toHaveURL(/\/\?category=backup-and-restore$/);
    const listing = page.getByRole('region', { name: /Backup & restore/ });
    await expect(listing.getByRole('link', { name: 'Restore a backup' })).toBeVisible();
  });

  test('a category lists its articles, and an article link opens it', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('How can we help?');
    await page.getByRole('link', { name: /Backup & restore/ }).click();
    await expect(page).toHaveTitle('Backup & restore · Lantern Support');
    const listing = page.getByRole('region', { name: /Backup & restore/ });
    const first = listing.getByRole('link').first();
    const title = (await first.textContent())?.trim() ?? '';
    expect(title).not.toBe('');
    await first.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  });

  test('an article says in words when it was updated', async ({ page }) => {
    // content/kb/run-your-first-backup.md: updated: 2026-02-10
    await page.goto('/kb/run-your-first-backup');
    const updated = page.locator('.kb-article-meta time');
    await expect(updated).toHaveText('10 February 2026');
    await expect(updated).toHaveAttribute('datetime', '2026-02-10');
  });

  test('on a 360 px screen the header is one row, and its menu opens the links', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/support');
    const header = page.getByRole('banner');
    expect((await header.boundingBox())?.height).toBeLessThanOrEqual(72);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Knowledge base' })).toBeHidden();
    await nav.getByText('Menu').focus();
    await page.keyboard.press('Enter');
    for (const name of ['Knowledge base', 'New ticket', 'My tickets', 'Support']) {
      await expect(nav.getByRole('link', { name })).toBeInViewport();
    }
    await nav.getByRole('link', { name: 'Knowledge base' }).click();
    await expect(page).toHaveURL('/');
  });

  test('an unknown address answers 404 and a private page is kept out of search engines', async ({ page }) => {
    expect((await page.goto('/kb/no-such-article'))?.status()).toBe(404);
    expect((await page.goto('/no/such/page'))?.status()).toBe(404);
    expect((await page.goto('/tickets'))?.status()).toBe(200);
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex, nofollow');
  });
});

test.describe('without JavaScript, the support page', () => {
  test.use({ javaScriptEnabled: false });

  test('shows the plans, their hours and how to reach the team', async ({ page }) => {
    await page.goto('/support');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Support plans and hours');
    await expect(page.getByRole('table', { name: 'Support hours and first response' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'How to reach us' })).toBeVisible();
  });

  test('lists as closures only holidays on days support would be open, dated in words', async ({ page }) => {
    await page.goto('/support');
    for (const holiday of await page.locator('.holiday-list li').allTextContents()) {
      expect(holiday).toMatch(/^(Mon|Tue|Wed|Thu|Fri) \d{1,2} [A-Z][a-z]+ \d{4}: /);
    }
  });
});
