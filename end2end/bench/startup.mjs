// Start-up of the home page in headless Chromium, against a running server:
//   node end2end/bench/startup.mjs --url http://127.0.0.1:PORT [--loads 10]
// Each load is cold: a new browser context (empty cache, no cookies). A script injected before
// the page's own records, on the page's clock (0 = navigation start):
// - typed: the search box of the page the server rendered is there, and the visitor focuses it
//   and types one word at once (the focus fetches the app: public/boot.js);
// - interactive: the app has taken the page over (the server's page is gone);
// - first result: the first instant result for the word is in the DOM.
// Measured without and with 4x CPU throttling (DevTools protocol Emulation.setCPUThrottlingRate).
import { launchChromium, median, options, printBenchJson, throttleCpu, searchBoxSelector } from './browser.mjs';

const WORD = 'backup';
const THROTTLING_RATES = [1, 4];

const { url, loads } = options({ url: '', loads: '10' });
if (!url) throw new Error('--url is required');

/** Runs in the page before its own scripts. */
function watchStartUp({ selector, word }) {
  const times = {};
  window.__lanternStartUp = times;
  const look = () => {
    const box = document.querySelector(selector);
    if (times.typed_ms === undefined) {
      if (!box || box.disabled) return;
      times.typed_ms = performance.now();
      box.focus();
      box.value = word;
      box.dispatchEvent(new InputEvent('input', { bubbles: true, data: word }));
    }
    if (times.interactive_ms === undefined && !document.getElementById('server-page')) {
      times.interactive_ms = performance.now();
    }
    if (document.querySelector('#kb-results [role="option"]')) {
      times.first_result_ms = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(look);
  document.addEventListener('DOMContentLoaded', () => {
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
    look();
  });
}

async function coldLoad(browser, rate) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await throttleCpu(context, page, rate);
    await page.addInitScript(watchStartUp, { selector: searchBoxSelector, word: WORD });
    await page.goto(url);
    await page.waitForFunction(() => window.__lanternStartUp?.first_result_ms !== undefined, null, {
      timeout: 60_000,
    });
    return await page.evaluate(() => window.__lanternStartUp);
  } finally {
    await context.close();
  }
}

const round = (value) => Math.round(value * 10) / 10;

const browser = await launchChromium();
try {
  const results = [];
  for (const rate of THROTTLING_RATES) {
    const samples = [];
    for (let load = 0; load < Number(loads); load += 1) samples.push(await coldLoad(browser, rate));
    results.push({
      cpu_throttling: rate,
      loads: samples.length,
      typed_median_ms: round(median(samples.map((s) => s.typed_ms))),
      interactive_median_ms: round(median(samples.map((s) => s.interactive_ms))),
      first_result_median_ms: round(median(samples.map((s) => s.first_result_ms))),
      interactive_ms: samples.map((s) => round(s.interactive_ms)),
      first_result_ms: samples.map((s) => round(s.first_result_ms)),
    });
  }
  printBenchJson({ startup: { word: WORD, results } });
} finally {
  await browser.close();
}
