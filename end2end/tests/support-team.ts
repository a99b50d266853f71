import { expect, demo } from './fixtures';
import { agentToken } from '../playwright.config';
import type { Page } from '@playwright/test';

// Filing tickets and working them through the API, as a helpdesk would: the specs that are not
// about the wizard start from a filed ticket, and the support team answers through the agent API.

/** The header the API asks of every call made by the app (CSRF protection). */
export const lantern = { 'X-Requested-With': 'lantern' };
export const asAgent = { ...lantern, Authorization: `Bearer ${agentToken}` };

/** Files a ticket (a Minor question unless told) as the signed-in person (Alice's contact) and answers its number. */
export async function fileTicket(page: Page, subject: string, severity = 'minor', caseType = 'question'): Promise<string> {
  const response = await page.request.post('/api/v1/tickets', {
    headers: { ...lantern, 'Idempotency-Key': `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}` },
    data: {
      product: 'harbor-backup',
      component: '',
      version: '8.2.1',
      case_type: caseType,
      subject,
      description: 'How do I restore a single file from last night without restoring the share?',
      steps_to_reproduce: '',
      expected_result: '',
      actual_result: '',
      severity,
      operating_system: '',
      computer_id: '',
      username: '',
      recent_changes: '',
      integrations: '',
      attachments: [],
      contact: { name: demo.alice.name, email: demo.alice.email, phone: '', preferred_channel: '' },
      cc: [],
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).number;
}

/** An agent API call on ticket `number`, e.g. `replies` or `status`; it must succeed. */
export async function agentPost(page: Page, number: string, action: string, data: object): Promise<void> {
  await agentCall(page, 'POST', number, action, data);
}

/** An agent API call that sets something of ticket `number`, e.g. `defect`; it must succeed. */
export async function agentPut(page: Page, number: string, action: string, data: object): Promise<void> {
  await agentCall(page, 'PUT', number, action, data);
}

async function agentCall(page: Page, method: string, number: string, action: string, data: object): Promise<void> {
  const response = await page.request.fetch(`/api/v1/agent/tickets/${number}/${action}`, {
    method,
    headers: asAgent,
    data,
  });
  expect(response.ok(), await response.text()).toBe(true);
}
