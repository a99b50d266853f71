import { test, expect, demo, signIn, openInApp } from './fixtures';
import type { Page } from '@playwright/test';

// Journeys through the knowledge base, on the demo articles of content/kb.

function searchBox(page: Page) {
  return page.getByRole('combobox', { name: 'Search the knowledge base' });
}

function results(page: Page) {
  return page.getByRole('listbox', { name: 'Matching articles' });
}

test('instant results appear and highlight the matched characters as you type', async ({ page }) => {
  await openInApp(page, '/');
  const box = searchBox(page);
  await box.pressSequentially('rest');
  const restore = results(page).getByRole('option', { name: /Restore a backup/ });
  await expect(restore).toBeVisible();
  await expect(restore.locator('mark').first()).toHaveText('Rest');
  await expect(box).toHaveAttribute('aria-expanded', 'true');

  // Typos in both words, still first.
  await box.fill('');
  await box.pressSequentially('resore bakup');
  const first = results(page).getByRole('option').first();
  await expect(first).toContainText('Restore a backup');
  await expect(first.locator('mark')).not.toHaveCount(0);
  await expect(page).toHaveURL(/[?&]q=resore%20bakup/);
});

test('an article that only mentions a word in its text is listed as partly matching', async ({ page }) => {
  await openInApp(page, '/');
  // "awake" is only in the body of "Restore a backup", never in a title, summary or tag.
  await searchBox(page).pressSequentially('awake');
  const partial = results(page).getByRole('group', { name: 'Partly matching articles' });
  const hit = partial.getByRole('option', { name: /Restore a backup/ });
  await expect(hit).toBeVisible();
  await expect(hit.locator('mark')).toHaveText(['awake']);
});

test('an article opens from the search box with the keyboard', async ({ page }) => {
  await openInApp(page, '/');
  const box = searchBox(page);
  await box.pressSequentially('restore a backup');
  await expect(results(page).getByRole('option').first()).toContainText('Restore a backup');
  await box.press('ArrowDown');
  const first = results(page).getByRole('option').first();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', (await first.getAttribute('id'))!);
  await box.press('Enter');
  await expect(page).toHaveURL('/kb/restore-a-backup');
  await expect(page.getByRole('heading', { level: 1, name: 'Restore a backup' })).toBeVisible();
  const breadcrumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
  await expect(breadcrumbs.getByRole('link', { name: 'Backup & restore' })).toBeVisible();
});

test('Escape clears the search and the categories come back', async ({ page }) => {
  await openInApp(page, '/?q=restore');
  const box = searchBox(page);
  await expect(box).toHaveValue('restore');
  await box.press('Escape');
  await expect(box).toHaveValue('');
  await expect(page.getByRole('heading', { name: 'Browse by category' })).toBeVisible();
  await expect(page).toHaveURL('/');
});

test('the search and its filters live in the address and survive a reload', async ({ page }) => {
  await openInApp(page, '/');
  await searchBox(page).pressSequentially('logs');
  await page.getByLabel('Category').selectOption('troubleshooting-and-logs');
  await expect(page).toHaveURL(/q=logs/);
  await expect(page).toHaveURL(/category=troubleshooting-and-logs/);
  const options = results(page).getByRole('option');
  await expect(options.first()).toBeVisible();
  for (const category of await options.locator('.kb-result-category').allTextContents()) {
    expect(category).toBe('Troubleshooting & logs');
  }

  await page.reload();
  await expect(searchBox(page)).toHaveValue('logs');
  await expect(page.getByLabel('Category')).toHaveValue('troubleshooting-and-logs');
  await expect(results(page).getByRole('option').first()).toBeVisible();
});

test('browsing a category lists its articles with counts', async ({ page }) => {
  await openInApp(page, '/');
  const category = page.getByRole('link', { name: /Backup & restore \d+ articles/ });
  await category.click();
  await expect(page).toHaveURL('/?category=backup-and-restore');
  await expect(page.getByRole('link', { name: 'Restore a backup' })).toBeVisible();
});

test('a helpful vote counts, can be changed, and persists after a reload', async ({ page }) => {
  await openInApp(page, '/kb/find-the-computer-id');
  const yes = page.getByRole('button', { name: /^Yes/ });
  const no = page.getByRole('button', { name: /^No/ });
  await expect(yes).toHaveAttribute('aria-pressed', 'false');
  const yesBefore = Number(await yes.locator('.kb-vote-count').textContent());

  await yes.click();
  await expect(yes).toHaveAttribute('aria-pressed', 'true');
  await expect(yes.locator('.kb-vote-count')).toHaveText(String(yesBefore + 1));

  await page.reload();
  await expect(yes).toHaveAttribute('aria-pressed', 'true');
  await expect(yes.locator('.kb-vote-count')).toHaveText(String(yesBefore + 1));

  await no.click();
  await expect(no).toHaveAttribute('aria-pressed', 'true');
  await expect(yes).toHaveAttribute('aria-pressed', 'false');
  await expect(yes.locator('.kb-vote-count')).toHaveText(String(yesBefore));
});

test('a search without results offers a ticket with the query as its subject', async ({ page }) => {
  await signIn(page, demo.alice.email);
  await openInApp(page, '/');
  await searchBox(page).pressSequentially('qzxv wuj');
  await expect(page.getByRole('heading', { name: 'No article answers “qzxv wuj” yet' })).toBeVisible();
  await page.getByRole('link', { name: 'Contact support' }).click();
  await expect(page).toHaveURL('/tickets/new?subject=qzxv%20wuj');
  await expect(page.getByRole('heading', { level: 1, name: 'New ticket' })).toBeVisible();
});

test('an unknown article shows the not-found page', async ({ page }) => {
  await openInApp(page, '/kb/no-such-article');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
});
