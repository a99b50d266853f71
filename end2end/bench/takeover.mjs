// The app taking over each page the server rendered, in headless Chromium, against a running
// server:
//   node end2end/bench/takeover.mjs --url http://127.0.0.1:PORT [--loads 5]
// Lighthouse never starts the app (it is fetched at the visitor's first use: public/boot.js),
// so its blocking time says nothing of what the first touch costs. Here each cold load waits for
// the first paint, then points at a control as a visitor's finger or mouse would (a
// `pointerover`, which starts the app), and records on the page's clock, from that moment:
// - taken_over_ms: the server's page is gone, the app's shows;
// - longest_task_ms and blocking_ms (the time of each long task beyond 50 ms, summed, as
//   Lighthouse's TBT counts it), for the tasks from the first use until one second after the
//   takeover.
// At 4x CPU throttling (DevTools protocol Emulation.setCPUThrottlingRate), as Lighthouse's
// mobile runs, and unthrottled.
import { launchChromium, median, options, printBenchJson, throttleCpu } from './browser.mjs';

const PAGES = [
  ['home', '/'],
  ['category', '/?category=backup-and-restore'],
  ['article', '/kb/restore-a-backup'],
  ['support', '/support'],
];
const THROTTLING_RATES = [4, 1];
const CONTROL = 'button, input, select, textarea, summary';

const { url, loads } = options({ url: '', loads: '5' });
if (!url) throw new Error('--url is required');

/** Runs in the page before its own scripts: every long task, and when the server's page goes. */
function watchTakeover() {
  const watched = { tasks: [] };
  window.__lanternTakeover = watched;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) watched.tasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const observer = new MutationObserver(() => {
    if (watched.taken_over_ms === undefined && !document.getElementById('server-page')) {
      watched.taken_over_ms = performance.now();
      observer.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () => {
    observer.observe(document.body, { childList: true, subtree: true });
  });
}

async function coldLoad(browser, path, rate) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
  try {
    const page = await context.newPage();
    await throttleCpu(context, page, rate);
    await page.addInitScript(watchTakeover);
    await page.goto(new URL(path, url).href);
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
    const used = await page.evaluate((selector) => {
      const control = document.querySelector(`#server-page :is(${selector})`);
      control.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
      return performance.now();
    }, CONTROL);
    await page.waitForFunction(() => window.__lanternTakeover.taken_over_ms !== undefined, null, {
      timeout: 60_000,
    });
    await page.waitForTimeout(1000);
    const watched = await page.evaluate(() => window.__lanternTakeover);
    const tasks = watched.tasks
      .filter(([start]) => start >= used && start <= watched.taken_over_ms + 1000)
      .map(([, duration]) => duration);
    return {
      taken_over_ms: watched.taken_over_ms - used,
      longest_task_ms: Math.max(0, ...tasks),
      blocking_ms: tasks.reduce((sum, duration) => sum + Math.max(0, duration - 50), 0),
    };
  } finally {
    await context.close();
  }
}

const round = (value) => Math.round(value);

const browser = await launchChromium();
try {
  const results = [];
  for (const rate of THROTTLING_RATES) {
    for (const [name, path] of PAGES) {
      const samples = [];
      for (let load = 0; load < Number(loads); load += 1) samples.push(await coldLoad(browser, path, rate));
      const figure = (key) => round(median(samples.map((sample) => sample[key])));
      results.push({
        page: name,
        cpu_throttling: rate,
        loads: samples.length,
        taken_over_median_ms: figure('taken_over_ms'),
        longest_task_median_ms: figure('longest_task_ms'),
        blocking_median_ms: figure('blocking_ms'),
        blocking_ms: samples.map((sample) => round(sample.blocking_ms)),
      });
    }
  }
  printBenchJson({ takeover: { results } });
} finally {
  await browser.close();
}
