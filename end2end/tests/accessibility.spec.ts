import AxeBuilder from '@axe-core/playwright';
import { test, expect, signIn, demo } from './fixtures';
import { agentPost, agentPut, fileTicket } from './support-team';
import type { Page } from '@playwright/test';

// axe-core on every page of the app, signed out and signed in, in the light and the dark theme,
// and on a phone-sized screen: no serious or critical violation anywhere. Each page is checked
// in the state people see it in: after its data loaded, with search results, with errors shown.
// Every axe rule runs; the minor and moderate findings (mostly best-practice hints) are left to
// review, the serious and critical ones fail the test. The checks are soft, so one run lists
// every page's findings instead of stopping at the first.

/** Runs axe on the page as it is now and fails with a readable list of what it found. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  await expect(page.locator('.loading')).toHaveCount(0);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
    }));
  expect.soft(serious, `serious or critical axe violations on ${what}`).toEqual([]);
}

/** The page sees the theme the test asked for, so a dark-theme test cannot check the light one. */
async function expectTheme(page: Page, colorScheme: 'light' | 'dark'): Promise<void> {
  const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
  expect(dark, 'the page is in the dark theme').toBe(colorScheme === 'dark');
}

/** Opens an address and waits for its main heading, so axe sees the page and not a spinner. */
async function open(page: Page, address: string, heading: string | RegExp): Promise<void> {
  await page.goto(address);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** An agent's public reply, a status change and a linked engineering issue, so the ticket page
 * and the list show a conversation, the waiting notice and the state. */
async function answerAsAgent(page: Page, number: string): Promise<void> {
  await agentPost(page, number, 'replies', {
    body: 'Which version of the console do you use?',
    internal: false,
    author_name: 'Sam Support',
  });
  await agentPost(page, number, 'status', { status: 'pending', reason: 'We need the console version.' });
  await agentPut(page, number, 'defect', {
    id: 'HARBOR-4711',
    url: 'https://tracker.example/HARBOR-4711',
    state: 'fixed',
    fixed_in: '8.3.0',
  });
}

function nextButton(page: Page) {
  return page.getByRole('button', { name: 'Next', exact: true });
}

async function wizardStep(page: Page, number: number): Promise<void> {
  await expect(page.getByRole('heading', { name: new RegExp(`Step ${number} of 6`) })).toBeVisible();
}

/** "Next" on an empty step: the error summary and the field messages are shown. */
async function expectStepErrorsAccessible(page: Page, number: number): Promise<void> {
  await nextButton(page).click();
  await wizardStep(page, number);
  await expect(page.getByRole('alert').filter({ hasText: /needs? your attention/ })).toBeVisible();
  await expectAccessible(page, `wizard step ${number} with errors`);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('signed-out pages', async ({ page }) => {
      test.setTimeout(120_000);
      await open(page, '/', 'How can we help?');
      await expectTheme(page, colorScheme);
      await expectAccessible(page, 'the knowledge base');

      const box = page.getByRole('combobox', { name: 'Search the knowledge base' });
      await box.pressSequentially('restore');
      await expect(page.getByRole('listbox', { name: 'Matching articles' }).getByRole('option').first()).toBeVisible();
      await box.press('ArrowDown');
      await expectAccessible(page, 'knowledge-base search results');

      await open(page, '/?q=qzxv%20wuj', 'How can we help?');
      await expect(page.getByRole('heading', { name: 'No article answers “qzxv wuj” yet' })).toBeVisible();
      // No empty listbox for screen readers to announce.
      await expect(page.getByRole('listbox', { name: 'Matching articles' })).toHaveCount(0);
      await expectAccessible(page, 'a search without results');

      // "awake" is only in an article's text: no answer, one partial match.
      await open(page, '/?q=awake', 'How can we help?');
      await expect(page.getByRole('heading', { name: 'No article answers “awake” yet' })).toBeVisible();
      await expect(page.getByRole('group', { name: 'Partly matching articles' })).toBeVisible();
      await expectAccessible(page, 'a search with only partial matches');

      await open(page, '/kb/restore-a-backup', 'Restore a backup');
      await expectAccessible(page, 'an article');

      await open(page, '/support', 'Support plans and hours');
      await expectAccessible(page, 'the support page');

      await open(page, '/signin', 'Sign in');
      await expectAccessible(page, 'the sign-in page');
      // An unknown account, so the failure does not count against a demo person's sign-ins.
      await page.getByLabel('E-mail').fill('nobody@nowhere.example');
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.locator('main form').getByRole('alert')).not.toBeEmpty();
      await expectAccessible(page, 'the sign-in page with an error');

      await open(page, '/register', 'Create an account');
      await expectAccessible(page, 'the registration page');
      await page.getByLabel('Your name').fill('Nina New');
      await page.getByLabel('E-mail').fill(`nina-${colorScheme}@northwind.example`);
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page.locator('[aria-invalid="true"]')).not.toHaveCount(0);
      await expectAccessible(page, 'the registration page with an error');

      await open(page, '/reset-password', 'Reset your password');
      await expectAccessible(page, 'the password-reset page');
      await page.getByLabel('E-mail').fill('nobody@nowhere.example');
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await expect(page.getByRole('status')).toContainText('If an account exists');
      await expectAccessible(page, 'the password-reset confirmation');

      await open(page, '/password-resets/not-a-real-token', 'Choose a new password');
      await expectAccessible(page, 'the new-password page');

      await open(page, '/registrations/not-a-real-token', 'Confirm your account');
      await expectAccessible(page, 'the confirm-registration page');

      await open(page, '/invitations/not-a-real-token', 'Accept your invitation');
      await expectAccessible(page, 'the invitation page');
      await page.getByLabel('Your name').fill('Nina New');
      await page.getByLabel('Password').fill('a-long-enough-password');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page.locator('main form').getByRole('alert')).not.toBeEmpty();
      await expectAccessible(page, 'the invitation page with an error');

      await open(page, '/no-such-page', 'Page not found');
      await expectAccessible(page, 'the not-found page');
    });

    test('signed-in pages', async ({ page }) => {
      test.setTimeout(120_000);
      await signIn(page, demo.alice.email);

      await open(page, '/', 'How can we help?');
      await expectTheme(page, colorScheme);
      await expectAccessible(page, 'the knowledge base, signed in');
      await open(page, '/kb/restore-a-backup', 'Restore a backup');
      await expectAccessible(page, 'an article, signed in');
      // A pressed vote button has colours of its own. The vote is Alice's in both themes, and
      // pressing it again takes it back, so each theme presses the other button.
      const vote = page.getByRole('button', { name: colorScheme === 'light' ? /^Yes/ : /^No/ });
      await vote.click();
      await expect(vote).toHaveAttribute('aria-pressed', 'true');
      await expectAccessible(page, 'an article after a vote');
      await open(page, '/support', 'Support plans and hours');
      await expectAccessible(page, 'the support page, signed in');
      await open(page, '/no-such-page', 'Page not found');
      await expectAccessible(page, 'the not-found page, signed in');

      const subject = `Accessible conversation ${colorScheme} ${Date.now()}`;
      const number = await fileTicket(page, subject);
      await answerAsAgent(page, number);

      await open(page, '/tickets', 'My tickets');
      await expect(page.getByRole('link', { name: subject })).toBeVisible();
      await expectAccessible(page, 'My tickets');

      await open(page, '/tickets?q=no-such-ticket-anywhere', 'My tickets');
      await expect(page.getByText('No tickets match these filters.')).toBeVisible();
      await expectAccessible(page, 'My tickets without matches');

      await open(page, `/tickets/${number}`, subject);
      await expect(page.getByText('Which version of the console do you use?')).toBeVisible();
      await expectAccessible(page, 'a ticket with a conversation');
      await page.getByRole('button', { name: 'Send reply' }).click();
      await expect(page.getByText('Write a message.')).toBeVisible();
      await expectAccessible(page, 'a ticket with a reply error');

      // Solved: the reopen action and the satisfaction survey appear.
      await page.getByRole('textbox', { name: 'Your reply' }).fill('Console 8.2.1.');
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.getByRole('button', { name: 'This is solved' }).click();
      await expectAccessible(page, 'a ticket asking to confirm it is solved');
      await page.getByRole('button', { name: 'Yes, mark as solved' }).click();
      await expect(page.getByRole('button', { name: 'Send rating' })).toBeVisible();
      await expectAccessible(page, 'a solved ticket with its survey');
    });

    test('the new-ticket wizard, each step and its errors', async ({ page }) => {
      test.setTimeout(120_000);
      await signIn(page, demo.alice.email);
      await open(page, '/tickets/new', 'New ticket');
      // A draft of an earlier test would put the wizard on another step.
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await wizardStep(page, 1);
      await expectTheme(page, colorScheme);
      await expectAccessible(page, 'wizard step 1');
      await expectStepErrorsAccessible(page, 1);

      await page.getByRole('combobox', { name: 'Product', exact: true }).selectOption({ label: 'Harbor Backup' });
      await page.getByRole('combobox', { name: 'Product version', exact: true }).selectOption('6.9.5');
      await expect(page.getByText(/no longer supported: only versions/)).toBeVisible();
      await page.getByRole('radio', { name: 'Product error' }).check();
      await expectAccessible(page, 'wizard step 1 with a version warning');
      await nextButton(page).click();

      await wizardStep(page, 2);
      await expectAccessible(page, 'wizard step 2');
      await expectStepErrorsAccessible(page, 2);
      await page.getByRole('textbox', { name: 'Subject', exact: true }).fill('restore fails');
      await expect(page.getByRole('complementary', { name: 'Suggested articles' }).getByRole('link').first()).toBeVisible();
      await page
        .getByRole('textbox', { name: 'Description', exact: true })
        .fill('Restoring the Finance share from last night stops at 40% with error HB-2310 every time.');
      await page.getByRole('textbox', { name: 'Steps to reproduce', exact: true }).fill('1. Open the console');
      await page.getByRole('textbox', { name: 'What you expected to happen', exact: true }).fill('It finishes.');
      await page.getByRole('textbox', { name: 'What happened instead', exact: true }).fill('It stops.');
      await expectAccessible(page, 'wizard step 2 with suggested articles');
      await nextButton(page).click();

      await wizardStep(page, 3);
      await expectAccessible(page, 'wizard step 3');
      await expectStepErrorsAccessible(page, 3);
      await page.getByRole('radio', { name: 'Major' }).check();
      await nextButton(page).click();

      await wizardStep(page, 4);
      await expectAccessible(page, 'wizard step 4');
      await expectStepErrorsAccessible(page, 4);
      await page.getByRole('textbox', { name: 'Operating system and version', exact: true }).fill('Windows Server 2022');
      const files = page.locator('#attachment-files');
      await files.setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
      await expect(page.getByRole('alert').filter({ hasText: 'cannot be attached' })).toBeVisible();
      await files.setInputFiles({ name: 'agent.log', mimeType: 'text/plain', buffer: Buffer.from('ERROR HB-2310\n') });
      await expect(page.getByRole('button', { name: 'Remove agent.log' })).toBeVisible();
      await expectAccessible(page, 'wizard step 4 with an upload and a refused file');
      await nextButton(page).click();

      await wizardStep(page, 5);
      await expectAccessible(page, 'wizard step 5');
      await page.getByRole('textbox', { name: 'Your name', exact: true }).fill('');
      await expectStepErrorsAccessible(page, 5);
      await page.getByRole('textbox', { name: 'Your name', exact: true }).fill(demo.alice.name);
      await nextButton(page).click();

      await wizardStep(page, 6);
      await expectAccessible(page, 'wizard step 6 (review)');
      await page.getByRole('button', { name: 'Discard draft' }).click();
      await expect(page.getByRole('button', { name: 'Yes, discard the draft' })).toBeFocused();
      await expectAccessible(page, 'the discard-draft question');
      await page.getByRole('button', { name: 'Keep the draft' }).click();

      await page.getByRole('button', { name: 'Submit ticket' }).click();
      await expect(page.getByRole('heading', { level: 1, name: /Ticket LAN-\d{6} is filed/ })).toBeVisible();
      await expectAccessible(page, 'the ticket-filed page');
    });

    test("a ticket's escalation request: the form, its errors, the open request", async ({ page }) => {
      test.setTimeout(120_000);
      await signIn(page, demo.alice.email);
      const subject = `Accessible escalation ${colorScheme} ${Date.now()}`;
      const number = await fileTicket(page, subject);
      await open(page, `/tickets/${number}`, subject);
      await expectTheme(page, colorScheme);
      const escalation = page.getByRole('region', { name: 'Escalation', exact: true });
      await escalation.getByRole('button', { name: 'Request escalation' }).click();
      await expect(page.getByRole('heading', { name: 'Request escalation' })).toBeFocused();
      await expectAccessible(page, 'the escalation form');

      await page.getByRole('button', { name: 'Send escalation request' }).click();
      await expect(page.locator('[aria-invalid="true"]')).not.toHaveCount(0);
      await expectAccessible(page, 'the escalation form with errors');

      await page.getByRole('radio', { name: 'The business impact has increased' }).check();
      await page
        .getByRole('textbox', { name: /What happened, and why does it need more attention/ })
        .fill('Two more sites stopped backing up tonight; the auditors arrive Friday.');
      await page.getByRole('button', { name: 'Send escalation request' }).click();
      await expect(escalation.getByText('Escalation requested')).toBeVisible();
      await expectAccessible(page, 'a ticket with an open escalation request');

      await open(page, '/tickets', 'My tickets');
      await expect(page.getByRole('row').filter({ hasText: subject }).getByText('Escalated')).toBeVisible();
      await expectAccessible(page, 'My tickets with an escalated ticket');
    });

    test("an organisation admin's own and organisation tickets", async ({ page }) => {
      await signIn(page, demo.olivia.email);
      await fileTicket(page, `Olivia's own ticket ${colorScheme} ${Date.now()}`);
      await open(page, '/tickets', 'My tickets');
      await expectTheme(page, colorScheme);
      await expect(page.getByRole('link', { name: 'Organisation tickets' })).toBeVisible();
      await expect(page.locator('tbody tr')).not.toHaveCount(0);
      await expectAccessible(page, "an organisation admin's own tickets");

      await page.getByRole('link', { name: 'Organisation tickets' }).click();
      await expect(page.getByRole('link', { name: 'Organisation tickets' })).toHaveAttribute('aria-current', 'page');
      await expect(page.locator('tbody tr')).not.toHaveCount(0);
      await expectAccessible(page, 'the organisation tickets');
    });

    test('a phone-sized screen (360 px)', async ({ page }) => {
      await page.setViewportSize({ width: 360, height: 740 });
      await open(page, '/?q=restore', 'How can we help?');
      await expectTheme(page, colorScheme);
      await expect(page.getByRole('listbox', { name: 'Matching articles' }).getByRole('option').first()).toBeVisible();
      await expectAccessible(page, 'search results at 360 px');
      await open(page, '/?q=awake', 'How can we help?');
      await expect(page.getByRole('link', { name: 'Contact support' })).toBeVisible();
      // The support offer wraps instead of widening the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await expectAccessible(page, 'a search no article answers at 360 px');
      await open(page, '/support', 'Support plans and hours');
      await expectAccessible(page, 'the support page at 360 px');

      await signIn(page, demo.alice.email);
      const subject = `Small screen ${colorScheme} ${Date.now()}`;
      const number = await fileTicket(page, subject);
      await answerAsAgent(page, number);
      await open(page, '/tickets', 'My tickets');
      await expect(page.getByRole('link', { name: subject })).toBeVisible();
      await expectAccessible(page, 'My tickets at 360 px');
      await open(page, `/tickets/${number}`, subject);
      await expect(page.getByText('Which version of the console do you use?')).toBeVisible();
      await expectAccessible(page, 'a ticket at 360 px');
      await open(page, '/tickets/new', 'New ticket');
      await expectAccessible(page, 'the wizard at 360 px');
    });
  });
}
