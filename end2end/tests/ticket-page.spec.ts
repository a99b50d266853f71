import { test, expect, signIn, demo } from './fixtures';
import { agentPost, fileTicket, lantern } from './support-team';
import type { Page } from '@playwright/test';

// The ticket page as a customer reads it (issue 16): the request first in the conversation,
// ticket numbers in any case, search that folds Unicode case, the survey only after support
// answered, and failures that say what was kept and offer to try again. Tickets are filed
// through the API; the support team acts through the agent API.

function conversation(page: Page) {
  return page.getByRole('region', { name: 'Conversation' });
}

function headerStatus(page: Page) {
  return page.locator('.ticket-header .status-badge');
}

/** Drops the console errors a test provoked on purpose (Chromium logs every failed fetch). */
function forgive(consoleErrors: string[], pattern: RegExp): void {
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((error) => !pattern.test(error)));
}

test("the conversation starts with the customer's request", async ({ page }) => {
  await signIn(page, demo.alice.email);
  const subject = `Restore a single file ${Date.now()}`;
  const number = await fileTicket(page, subject);
  await page.goto(`/tickets/${number}`);

  const first = conversation(page).getByRole('listitem').first();
  await expect(first.getByText('How do I restore a single file from last night')).toBeVisible();
  await expect(first.getByText(demo.alice.name)).toBeVisible();
  await expect(first.getByText(/filed the ticket/)).toBeVisible();
  await expect(conversation(page).getByText('Support has not answered yet.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What you submitted' })).toHaveCount(0);

  // Support's answer follows the request.
  await agentPost(page, number, 'replies', { body: 'Use File restore in the console.', internal: false, author_name: 'Sam Support' });
  await page.reload();
  const entries = conversation(page).getByRole('listitem');
  await expect(entries.nth(1).getByText('Use File restore in the console.')).toBeVisible();
  await expect(entries.first().getByText('How do I restore a single file')).toBeVisible();
  await expect(conversation(page).getByText('Support has not answered yet.')).toHaveCount(0);
});

test('a ticket number typed in lower case opens the ticket', async ({ page }) => {
  await signIn(page, demo.alice.email);
  const subject = `Lower-case number ${Date.now()}`;
  const number = await fileTicket(page, subject);
  await page.goto(`/tickets/${number.toLowerCase()}`);
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/tickets/${number}$`));
});

test('searching My tickets folds Unicode case', async ({ page }) => {
  await signIn(page, demo.alice.email);
  const subject = `Überwachung meldet Fehler ${Date.now()}`;
  await fileTicket(page, subject);
  await page.goto('/tickets');
  const search = page.getByRole('searchbox', { name: 'Search by number, subject or issue id' });
  for (const typed of ['Überwachung', 'überwachung']) {
    await search.fill(typed);
    await search.press('Enter');
    await expect(page.getByRole('link', { name: subject })).toBeVisible();
  }
});

test('support is rated only after it answered', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, demo.alice.email);
  // Solved by the customer before support said anything: nothing to rate.
  const unanswered = await fileTicket(page, `Found it myself ${Date.now()}`);
  await page.goto(`/tickets/${unanswered}`);
  await page.getByRole('button', { name: 'This is solved' }).click();
  await page.getByRole('button', { name: 'Yes, mark as solved' }).click();
  await expect(headerStatus(page)).toHaveText('Solved');
  await expect(page.locator('.ticket-header').getByText('No longer needed')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'How did we do?' })).toHaveCount(0);
  const refused = await page.request.post(`/api/v1/tickets/${unanswered}/survey`, {
    headers: lantern,
    data: { rating: 5, comment: '' },
  });
  expect(refused.status()).toBe(409);

  // Answered, then solved by support: the survey appears.
  const answered = await fileTicket(page, `Support answered ${Date.now()}`);
  await agentPost(page, answered, 'replies', { body: 'Restart the agent service.', internal: false, author_name: 'Sam Support' });
  await agentPost(page, answered, 'status', { status: 'solved', reason: 'Restarting fixed it in our lab.' });
  await page.goto(`/tickets/${answered}`);
  await expect(page.getByRole('heading', { name: 'How did we do?' })).toBeVisible();
});

test('a critical ticket says when support owes its next update, and offers escalation once it is late', async ({ page }) => {
  // The browser's clock runs on from now; the jump below is the two hours of the Enterprise
  // plan's Critical cadence (policies/default.toml).
  await page.clock.install();
  await signIn(page, demo.alice.email);
  const number = await fileTicket(page, `Replication stalls ${Date.now()}`, 'critical');
  await agentPost(page, number, 'replies', { body: 'We are looking at the logs.', internal: false, author_name: 'Sam Support' });
  await page.goto(`/tickets/${number}`);
  const nextUpdate = page.locator('.ticket-facts > div').filter({ has: page.getByText('Next update', { exact: true }) });
  await expect(nextUpdate).toContainText(/Due in (1 h 5\d min|2 h)/);
  await expect(page.locator('.response-missed')).toHaveCount(0);

  await page.clock.fastForward('02:01:00');
  await expect(nextUpdate).toContainText('Overdue');
  await expect(page.locator('.response-missed')).toContainText('Update overdue: support should have updated you by');
  await expect(page.getByRole('button', { name: 'Escalate: no response' })).toBeVisible();
});

test('names on the ticket page are the policy names the wizard used', async ({ page }) => {
  await signIn(page, demo.alice.email);
  const response = await page.request.post('/api/v1/tickets', {
    headers: { ...lantern, 'Idempotency-Key': `e2e-labels-${Date.now()}` },
    data: {
      product: 'harbor-backup',
      component: 'agent',
      version: '8.2.1',
      case_type: 'question',
      subject: `Agent question ${Date.now()}`,
      description: 'Which port does the backup agent use to reach the vault?',
      severity: 'minor',
      computer_id: '3F2504E0-4F89-11D3-9A0C-0305E82C3301',
      contact: { name: demo.alice.name, email: demo.alice.email, phone: '', preferred_channel: '' },
      cc: [],
      attachments: [],
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { number } = await response.json();
  await page.goto(`/tickets/${number}`);
  const details = page.getByRole('region', { name: 'Ticket details' });
  await expect(details.getByText('Backup agent')).toBeVisible();
  await expect(details.getByText('agent', { exact: true })).toHaveCount(0);
  await expect(details.getByText('Case type')).toBeVisible();
  await expect(details.getByText('Computer', { exact: true })).toBeVisible();
  // Level 1 tells a customer nothing; the header names a level only once it was raised.
  await expect(page.locator('.ticket-facts').getByText('Support level')).toHaveCount(0);
});

test('a failed list load says what was kept and tries again', async ({ page, consoleErrors }) => {
  await signIn(page, demo.alice.email);
  const subject = `Retry the list ${Date.now()}`;
  await fileTicket(page, subject);
  let failures = 1;
  await page.route(
    (url) => url.pathname === '/api/v1/tickets',
    (route) => (failures-- > 0 ? route.fulfill({ status: 500, body: 'Internal error' }) : route.fallback()),
  );
  await page.goto(`/tickets?status=all&q=${encodeURIComponent(subject)}`);
  const notice = page.locator('.failure-notice');
  await expect(notice.getByText('Your filters are kept.')).toBeVisible();
  await notice.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('link', { name: subject })).toBeVisible();
  await expect(notice.getByRole('button', { name: 'Try again' })).toHaveCount(0);
  forgive(consoleErrors, /status of 500/);
});

test('a failed reply keeps the text and sends it on a retry', async ({ page, consoleErrors }) => {
  await signIn(page, demo.alice.email);
  const number = await fileTicket(page, `Retry the reply ${Date.now()}`);
  await page.goto(`/tickets/${number}`);
  let failures = 1;
  await page.route(`**/api/v1/tickets/${number}/replies`, (route) =>
    failures-- > 0 ? route.fulfill({ status: 500, body: 'Internal error' }) : route.fallback(),
  );
  const reply = page.getByRole('textbox', { name: 'Your reply' });
  await reply.fill('The restore stops at 40 percent again.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  const notice = page.locator('.reply .failure-notice');
  await expect(notice.getByText('Your reply was not sent. Its text and files are kept here.')).toBeVisible();
  await expect(notice.getByText('Internal error', { exact: true })).toHaveCount(0);
  await expect(reply).toHaveValue('The restore stops at 40 percent again.');
  await notice.getByRole('button', { name: 'Try again' }).click();
  await expect(conversation(page).getByText('The restore stops at 40 percent again.')).toBeVisible();
  await expect(reply).toHaveValue('');
  forgive(consoleErrors, /status of 500/);
});
