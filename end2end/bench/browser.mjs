// Shared by the browser benchmarks: Debian's Chromium, headless, as the end-to-end suite drives it,
// the figures they compute, and how they hand them to scripts/bench.sh.
import { chromium } from '@playwright/test';

export const searchBoxSelector = '#kb-search';

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Slows the page's CPU `rate` times (1: not at all), as Lighthouse's mobile runs do. */
export async function throttleCpu(context, page, rate) {
  if (rate === 1) return;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/** The middle of the samples (the mean of the two middle ones for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The value below which `fraction` of the sorted samples lie (nearest rank). */
export function percentile(sorted, fraction) {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(sorted.length * fraction)));
  return sorted[rank - 1];
}

export function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value) => Math.round(value * 1000) / 1000;
  return {
    samples: sorted.length,
    p50_ms: round(percentile(sorted, 0.5)),
    p95_ms: round(percentile(sorted, 0.95)),
    max_ms: round(sorted[sorted.length - 1]),
  };
}

/** `--name value` pairs of the command line. */
export function options(defaults) {
  const parsed = { ...defaults };
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, '');
    if (!(name in defaults)) throw new Error(`unknown option ${args[i]}`);
    parsed[name] = args[i + 1];
  }
  return parsed;
}

/** The one line scripts/bench.sh collects into target/bench/latest.json. */
export function printBenchJson(figures) {
  console.log(`BENCH_JSON ${JSON.stringify(figures)}`);
}
