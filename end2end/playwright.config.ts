import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The suite runs against the real server and the release build of the app (dist/), with demo
// data in a fresh temporary database. scripts/test.sh picks a free port; 8090 when run alone.
const repo = path.resolve(__dirname, '..');
const port = process.env.LANTERN_E2E_PORT ?? '8090';
const baseURL = `http://127.0.0.1:${port}`;
// Every worker loads this file too; the environment hands them the runner's folder.
const dataDir = (process.env.LANTERN_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'lantern-e2e-')));

/** The suite's database, for specs that set up people with `lantern-server admin`. */
export const databaseUrl = `sqlite://${dataDir}/lantern.db`;

/** The agent token the demo seed installs; specs use it to act as the support team. */
export const agentToken = 'e2e-agent-token-0123456789abcdef';

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `${repo}/target/debug/lantern-server serve`,
    cwd: repo,
    url: `${baseURL}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      LANTERN_ADDR: `127.0.0.1:${port}`,
      LANTERN_DATABASE_URL: databaseUrl,
      LANTERN_DIST: `${repo}/dist`,
      LANTERN_POLICY: `${repo}/policies/default.toml`,
      LANTERN_CONTENT: `${repo}/content/kb`,
      LANTERN_DEMO: '1',
      LANTERN_DEMO_AGENT_TOKEN: agentToken,
      LANTERN_LOG: 'warn',
      // The whole suite files tickets, replies and votes as the same few demo people from one
      // address within minutes; the per-hour limits are the API tests' subject, not this one's.
      LANTERN_TICKETS_PER_HOUR: '10000',
      LANTERN_REPLIES_PER_HOUR: '10000',
      LANTERN_ESCALATIONS_PER_HOUR: '10000',
      LANTERN_CC_MAILS_PER_HOUR: '10000',
      LANTERN_COOKIELESS_VOTES_PER_HOUR: '10000',
      // The one limit a journey shows: account.spec.ts downloads twice, and the third is refused.
      LANTERN_EXPORTS_PER_HOUR: '2',
    },
  },
});
