import { test, expect, signIn, demo } from './fixtures';
import { agentPost, agentPut, fileTicket } from './support-team';
import type { Page } from '@playwright/test';

// "My tickets" (/tickets) and the ticket page (/tickets/:number). Tickets are filed through the
// API (the wizard has its own spec) and worked through the agent API, as a helpdesk would.

function headerStatus(page: Page) {
  return page.locator('.ticket-header .status-badge');
}

test('waiting for you, reply, mark solved, confirm the solution, rate', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, demo.alice.email);
  const subject = `Restore one file ${Date.now()}`;
  const number = await fileTicket(page, subject);

  // Support answers publicly, notes something internally, and waits for the customer.
  await agentPost(page, number, 'replies', {
    body: 'Which version of the console do you use?',
    internal: false,
    author_name: 'Sam Support',
  });
  await agentPost(page, number, 'replies', {
    body: 'Internal: customer is on the old plan.',
    internal: true,
    author_name: 'Sam Support',
  });
  await agentPost(page, number, 'status', { status: 'pending', reason: 'We need the console version.' });

  // The list makes the customer's turn obvious.
  await page.goto('/tickets');
  const row = page.getByRole('row').filter({ hasText: subject });
  await expect(row.getByText('Waiting for you')).toBeVisible();
  await expect(row.getByText(number)).toBeVisible();
  await row.getByRole('link', { name: subject }).click();

  // The ticket page: the agent's reply, never the internal note.
  await expect(page).toHaveURL(new RegExp(`/tickets/${number}$`));
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(headerStatus(page)).toHaveText('Waiting for you');
  // What happens without an answer: the demo policy's contact attempts (Druva's three within
  // ten days) and its time rule. A reply while the ticket waits is the next attempt.
  const waiting = page.locator('.waiting-notice');
  await expect(waiting).toContainText('We have tried to reach you 1 of 3 times.');
  await expect(waiting).toContainText('After 3 attempts within 10 days without an answer');
  await expect(waiting.getByText(/Without an answer, this ticket closes/)).toBeVisible();
  await agentPost(page, number, 'replies', {
    body: 'Could you check the version under Help, About?',
    internal: false,
    author_name: 'Sam Support',
  });
  // The page looks for news every 10 seconds.
  await expect(waiting).toContainText('We have tried to reach you 2 of 3 times.', { timeout: 20_000 });
  const timeline = page.getByRole('list').filter({ hasText: 'Which version of the console' });
  await expect(timeline.getByText('Sam Support').first()).toBeVisible();
  await expect(page.getByText('Internal: customer is on the old plan.')).toHaveCount(0);
  await expect(page.getByText(/Sending a reply moves the ticket back to Open/)).toBeVisible();

  // An empty reply is refused before sending.
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByText('Write a message.')).toBeVisible();

  // The customer replies with a file: the ticket is Open again.
  await page.getByRole('textbox', { name: 'Your reply' }).fill('Console 8.2.1 on Windows Server 2022.');
  await page.locator('#attachment-files').setInputFiles({
    name: 'console-version.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Console 8.2.1 (build 4711)\n'),
  });
  await expect(page.getByRole('button', { name: 'Remove console-version.txt' })).toBeVisible();
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(headerStatus(page)).toHaveText('Open');
  await expect(page.getByText('Console 8.2.1 on Windows Server 2022.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Your reply' })).toHaveValue('');
  const download = page.getByRole('link', { name: 'console-version.txt' });
  await expect(download).toHaveAttribute('href', /^\/api\/v1\/attachments\/[^/]+$/);
  const file = await page.request.get((await download.getAttribute('href')) ?? '');
  expect(await file.text()).toContain('build 4711');

  // A new agent reply appears without reloading the page.
  await agentPost(page, number, 'replies', {
    body: 'Thanks! Use File restore in the console.',
    internal: false,
    author_name: 'Sam Support',
  });
  await expect(page.getByText('Thanks! Use File restore in the console.')).toBeVisible({ timeout: 20_000 });

  // The customer says it is solved, after a confirmation step.
  await page.getByRole('button', { name: 'This is solved' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Mark this ticket as solved? Support stops working on it.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Yes, mark as solved' })).toBeFocused();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'This is solved' })).toBeFocused();
  await expect(headerStatus(page)).toHaveText('Open');
  await page.getByRole('button', { name: 'This is solved' }).click();
  await page.getByRole('button', { name: 'Yes, mark as solved' }).click();
  await expect(headerStatus(page)).toHaveText('Solved');
  // One step per state: nothing left to confirm, only reopening.
  await expect(page.getByText('You have marked this ticket as solved.')).toBeVisible();
  await expect(page.getByRole('button', { name: /solved|close the ticket/ })).toHaveCount(0);
  // Not solved after all: reopen within the window.
  await page.getByRole('button', { name: 'Reopen' }).click();
  await expect(headerStatus(page)).toHaveText('Open');

  // Support solves it; the customer confirms the solution, which closes the ticket.
  await agentPost(page, number, 'status', { status: 'solved', reason: 'File restore worked in our lab.' });
  await page.reload();
  await expect(page.getByText('Support has marked this ticket as solved. Does the solution work for you?')).toBeVisible();
  await page.getByRole('button', { name: 'Yes, it works: close the ticket' }).click();
  await expect(headerStatus(page)).toHaveText('Closed');
  await expect(page.getByText(`This ticket is closed. To follow up, file a new ticket and mention ${number}.`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send reply' })).toHaveCount(0);

  // Support answered, so the survey follows, once.
  await page.getByRole('radio', { name: /^4/ }).check();
  await page.getByRole('textbox', { name: 'Comment (optional)' }).fill('Quick and clear.');
  await page.getByRole('button', { name: 'Send rating' }).click();
  await expect(page.getByText('You rated this ticket 4 of 5: satisfied.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send rating' })).toHaveCount(0);

  // The survey stays given after a reload.
  await page.reload();
  await expect(page.getByText('You rated this ticket 4 of 5: satisfied.')).toBeVisible();
});

test('an engineering issue: on the ticket with its state, in the list, found by its id', async ({ page }) => {
  await signIn(page, demo.alice.email);
  const subject = `Transfers stop at 2 GB ${Date.now()}`;
  const number = await fileTicket(page, subject);
  const issue = `SFTPPLUS-${Date.now()}`;
  await agentPut(page, number, 'defect', {
    id: issue,
    url: `https://tracker.example/${issue}`,
    state: 'fixed',
    fixed_in: '4.2.0',
    note: 'Update to 4.2.0 to get the fix.',
  });

  await page.goto(`/tickets/${number}`);
  const fact = page.locator('.ticket-facts div').filter({ hasText: 'Engineering issue' });
  await expect(fact.getByRole('link', { name: issue })).toHaveAttribute('href', `https://tracker.example/${issue}`);
  await expect(fact).toContainText('Fixed in 4.2.0');
  await expect(page.getByText(`linked the ticket to engineering issue ${issue} (Fixed in 4.2.0): Update to 4.2.0`)).toBeVisible();

  // The customer finds the ticket by the issue's id, and the list names the issue.
  await page.goto('/tickets?status=all');
  const search = page.getByRole('searchbox', { name: 'Search by number, subject or issue id' });
  await search.fill(issue.toLowerCase());
  await search.press('Enter');
  await expect(page.locator('tbody tr')).toHaveCount(1);
  const row = page.getByRole('row').filter({ hasText: subject });
  await expect(row).toContainText(`Engineering issue ${issue}`);
  await expect(row).toContainText('Fixed in 4.2.0');
});

test('an enhancement request shows where it stands on the roadmap', async ({ page }) => {
  await signIn(page, demo.alice.email);
  const subject = `Export reports as PDF ${Date.now()}`;
  const number = await fileTicket(page, subject, 'minor', 'enhancement');
  await agentPut(page, number, 'roadmap', { state: 'declined', reason: 'PDF export does not fit the console.' });

  await page.goto(`/tickets/${number}`);
  const fact = page.locator('.ticket-facts div').filter({ hasText: 'Roadmap' });
  await expect(fact).toContainText('Declined');
  await expect(fact).toContainText('PDF export does not fit the console.');
  await expect(page.getByText("set the request's roadmap state to Declined: PDF export")).toBeVisible();

  await page.goto('/tickets?status=all');
  await expect(page.getByRole('row').filter({ hasText: subject })).toContainText('Roadmap: Declined');
});

test('filters live in the address and survive reload and back', async ({ page }) => {
  await signIn(page, demo.alice.email);
  const subject = `Filter check ${Date.now()}`;
  await fileTicket(page, subject);

  await page.goto('/tickets');
  await expect(page.getByRole('heading', { level: 1, name: 'My tickets' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Status' }).selectOption('all');
  await expect(page).toHaveURL(/[?&]status=all/);

  await page.getByRole('searchbox', { name: 'Search by number, subject or issue id' }).fill(subject);
  await page.getByRole('searchbox', { name: 'Search by number, subject or issue id' }).press('Enter');
  await expect(page).toHaveURL(/[?&]q=/);
  await expect(page.getByRole('link', { name: subject })).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(1);

  // A reload (or a shared link) shows the same list.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('all');
  await expect(page.getByRole('searchbox', { name: 'Search by number, subject or issue id' })).toHaveValue(subject);
  await expect(page.locator('tbody tr')).toHaveCount(1);

  // Back undoes the search, keeping the status filter.
  await page.goBack();
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(page).toHaveURL(/[?&]status=all/);
  await expect(page.getByRole('searchbox', { name: 'Search by number, subject or issue id' })).toHaveValue('');

  // Product and sort join the address too.
  await page.getByRole('combobox', { name: 'Product' }).selectOption({ label: 'Relay Sync' });
  await expect(page).toHaveURL(/[?&]product=relay-sync/);
  await expect(page.getByRole('link', { name: subject })).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Product' }).selectOption({ label: 'All products' });
  await expect(page.getByRole('link', { name: subject })).toBeVisible();
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Oldest first' });
  await expect(page).toHaveURL(/[?&]sort=created_asc/);
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('created_asc');

  // A search that matches nothing offers a way back and a new ticket.
  await page.goto('/tickets?q=no-such-ticket-anywhere');
  await expect(page.getByText('No tickets match these filters.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'File a new ticket' })).toHaveAttribute('href', '/tickets/new');
});

test("unknown tickets and other organisations' tickets say so, with a way back", async ({ page }) => {
  await signIn(page, demo.alice.email);
  const number = await fileTicket(page, `Private to Northwind ${Date.now()}`);
  await page.goto('/tickets/LAN-999999');
  const noAccess = page.getByRole('heading', { level: 1, name: 'This ticket does not exist or you do not have access' });
  await expect(noAccess).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, demo.carl.email);
  const answer = await page.request.get(`/api/v1/tickets/${number}`);
  expect(answer.status()).toBe(404);
  await page.goto(`/tickets/${number}`);
  await expect(noAccess).toBeVisible();
  await expect(page.getByText('Private to Northwind')).toHaveCount(0);
  await page.getByRole('link', { name: '← My tickets' }).click();
  await expect(page).toHaveURL(/\/tickets$/);
  await expect(page.getByRole('heading', { level: 1, name: 'My tickets' })).toBeVisible();
});

test('organisation admins switch to the organisation view', async ({ page }) => {
  await signIn(page, demo.alice.email);
  const subject = `Alice org ticket ${Date.now()}`;
  await fileTicket(page, subject);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, demo.olivia.email);
  await page.goto('/tickets');
  await page.getByRole('link', { name: 'Organisation tickets' }).click();
  await expect(page).toHaveURL(/[?&]scope=organisation/);
  await expect(page.getByRole('link', { name: 'Organisation tickets' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 1, name: 'Organisation tickets' })).toBeVisible();
  await expect(page).toHaveTitle(/^Organisation tickets/);
  const row = page.getByRole('row').filter({ hasText: subject });
  await expect(row.getByText(demo.alice.name)).toBeVisible();

  // A ticket opened from the organisation's list leads back to it.
  await row.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await page.getByRole('link', { name: '← Organisation tickets' }).click();
  await expect(page).toHaveURL(/[?&]scope=organisation/);
  await expect(page.getByRole('heading', { level: 1, name: 'Organisation tickets' })).toBeVisible();
});

test('"Load more" fetches the next page of a long list', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, demo.alice.email);
  const prefix = `Paged ${Date.now()}`;
  // One more than the server's page of 25.
  for (let index = 1; index <= 26; index += 1) {
    await fileTicket(page, `${prefix} #${index}`);
  }
  await page.goto(`/tickets?q=${encodeURIComponent(prefix)}`);
  await expect(page.locator('tbody tr')).toHaveCount(25);
  await page.getByRole('button', { name: 'Load more tickets' }).click();
  await expect(page.locator('tbody tr')).toHaveCount(26);
  // Keyboard focus moves to the first ticket of the new page.
  await expect(page.locator('tbody tr').nth(25).getByRole('link')).toBeFocused();
  await expect(page.getByRole('button', { name: 'Load more tickets' })).toHaveCount(0);
  // Newest update first: the first ticket filed is last.
  await expect(page.locator('tbody tr').last().getByRole('link')).toHaveText(`${prefix} #1`);
});
