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

test('the plans table scrolls inside its own box on a 360 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openInApp(page, '/support');
  await expect(page.getByRole('table', { name: 'Support hours and first response' })).toBeVisible();
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth).toBeLessThanOrEqual(360);
});
