import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, openInApp } from './fixtures';

// The server under test reads this very file (LANTERN_POLICY in playwright.config.ts), so the
// expectations come from the policy, not from copies of its values.
const policyText = readFileSync(path.resolve(__dirname, '../../policies/default.toml'), 'utf8');

/** The string value of `key` in the `[section]` table of the policy file. */
function policyValue(section: string, key: string): string {
  const start = policyText.indexOf(`\n[${section}]\n`);
  if (start < 0) throw new Error(`the policy file has no [${section}] table`);
  const table = policyText.slice(start + section.length + 4).split('\n[')[0];
  const match = table.match(new RegExp(`^${key} = "(.*)"$`, 'm'));
  if (!match) throw new Error(`the policy file has no ${section}.${key}`);
  return match[1];
}

/** "1h" -> "1 h", "90m" -> "90 min": how the page writes a target in hours and minutes. */
function hoursText(duration: string): string {
  return duration.replace(/(\d+)h/, '$1 h ').replace(/(\d+)m/, '$1 min').trim();
}

test('the support page shows both plans, their response targets and the severities', async ({ page }) => {
  await openInApp(page, '/support');
  await expect(page.getByRole('heading', { level: 1, name: 'Support plans and hours' })).toBeVisible();

  const table = page.getByRole('table', { name: 'Support hours and first response' });
  const professional = policyValue('plans.professional', 'name');
  const enterprise = policyValue('plans.enterprise', 'name');
  await expect(table.getByRole('columnheader')).toHaveText(['Severity', professional, enterprise]);

  const emergency = policyValue('severities.emergency', 'name');
  const emergencyRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: emergency }) });
  const enterpriseTarget = hoursText(policyValue('plans.enterprise.response_targets', 'emergency'));
  const professionalTarget = hoursText(policyValue('plans.professional.response_targets', 'emergency'));
  await expect(emergencyRow.getByRole('cell').nth(0)).toContainText(`${professionalTarget} within support hours`);
  await expect(emergencyRow.getByRole('cell').nth(1)).toContainText(`${enterpriseTarget} any time`);

  const severity = page.getByRole('article', { name: emergency });
  await expect(severity.getByText(policyValue('severities.emergency', 'definition'))).toBeVisible();

  const phone = policyValue('channels.phone', 'address');
  await expect(page.getByRole('link', { name: phone })).toHaveAttribute('href', `tel:${phone.replaceAll(' ', '')}`);
});

test('support hours are listed in the viewer\'s time zone with the holidays ahead', async ({ browser }) => {
  // London keeps the same daylight-saving dates as Amsterdam, one hour behind all year.
  const context = await browser.newContext({ timezoneId: 'Europe/London', locale: 'en-GB' });
  const page = await context.newPage();
  await openInApp(page, '/support');

  await expect(page.getByText('Times below are in your time zone (Europe/London).')).toBeVisible();
  const professional = page.getByRole('region', { name: `${policyValue('plans.professional', 'name')} support hours` });
  // Amsterdam's 08:00-18:00 is 07:00-17:00 in London.
  expect(policyValue('plans.professional.hours', 'time_zone')).toBe('Europe/Amsterdam');
  await expect(professional.locator('.window-list li').first()).toContainText('07:00 – 17:00');
  await expect(professional.getByRole('heading', { name: 'Closed on' })).toBeVisible();

  const enterprise = page.getByRole('region', { name: `${policyValue('plans.enterprise', 'name')} support hours` });
  await expect(enterprise.getByText('Open now')).toBeVisible();
  await context.close();
});

test('on a 360 px screen the plans table stacks, every cell named by its plan', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openInApp(page, '/support');
  const table = page.getByRole('table', { name: 'Support hours and first response' });
  await expect(table).toBeVisible();
  const enterprise = policyValue('plans.enterprise', 'name');
  const emergency = policyValue('severities.emergency', 'name');
  const cell = table.locator('tr').filter({ hasText: emergency }).locator(`td[data-plan="${enterprise}"]`);
  // No sideways scroll hides the second plan: its cell is within the screen's width, labelled
  // with its name.
  const box = await cell.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 360, `cell at ${JSON.stringify(box)}`).toBe(true);
  expect(await cell.evaluate((element) => getComputedStyle(element, '::before').content)).toBe(`"${enterprise}"`);
  const region = page.getByRole('region', { name: 'Support hours and first response' });
  expect(await region.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth).toBeLessThanOrEqual(360);
});

test('the support hours use one 24-hour clock and skip holidays on closed days', async ({ browser }) => {
  // An American reader, whose browser would write "6:00 PM".
  const context = await browser.newContext({ timezoneId: 'America/New_York', locale: 'en-US' });
  const page = await context.newPage();
  await openInApp(page, '/support');
  const windows = page.locator('.window-list li');
  await expect(windows.first()).toBeVisible();
  for (const window of await windows.allTextContents()) {
    expect(window).toMatch(/\d{2}:\d{2} – (.*, )?\d{2}:\d{2}$/);
    expect(window).not.toMatch(/AM|PM/);
  }
  for (const holiday of await page.locator('.holiday-list li').allTextContents()) {
    expect(holiday).toMatch(/^(Mon|Tue|Wed|Thu|Fri) \d{1,2} [A-Z][a-z]+ \d{4}: /);
  }
  await context.close();
});
