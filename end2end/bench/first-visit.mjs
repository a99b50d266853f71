// What a first visit downloads: a cold load of the home page in headless Chromium, which then
// searches (instant and full-text results), against a running server:
//   node end2end/bench/first-visit.mjs --url http://127.0.0.1:PORT --dist ../dist
// Every file of dist/ the page requested is counted with its raw, gzip and brotli size (as
// scripts/app-sizes.mjs computes them); API answers, the knowledge-base index among them, are
// not. The lazily loaded parts of other pages are listed apart, with their sizes.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { launchChromium, options, printBenchJson, searchBoxSelector } from './browser.mjs';
import { fileSizes, isLazyPart, printSizeTable, sumSizes } from '../../scripts/app-sizes.mjs';

const WORD = 'awake'; // only in an article body: the full-text results are needed too

const { url, dist } = options({ url: '', dist: '' });
if (!url || !dist) throw new Error('--url and --dist are required');

const browser = await launchChromium();
const requested = new Set();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('request', (request) => requested.add(new URL(request.url()).pathname.replace(/^\//, '')));
  await page.goto(url);
  const box = page.locator(searchBoxSelector);
  await box.pressSequentially(WORD);
  await page.getByRole('group', { name: 'Partly matching articles' }).getByRole('option').first().waitFor();
  await page.waitForLoadState('networkidle');
  await context.close();
} finally {
  await browser.close();
}

const distDir = path.resolve(dist);
const built = readdirSync(distDir);
const files = fileSizes(distDir, built.filter((name) => requested.has(name)));
const lazyParts = fileSizes(distDir, built.filter((name) => isLazyPart(name) && !requested.has(name)));
if (!files.some((f) => f.file.endsWith('.wasm'))) throw new Error(`the page fetched no WebAssembly from ${dist}`);

console.log('Files of dist/ the first visit fetched (home page, one search):');
printSizeTable(files);
const lazy = sumSizes(lazyParts);
console.log(
  `Not fetched: ${lazyParts.length} lazily loaded parts of the other pages, ` +
    `${lazy.gzip} bytes gzip in all (the largest page part: ${Math.max(...lazyParts.map((f) => f.gzip))}).`,
);
printBenchJson({ download: { files, total: sumSizes(files), lazy_parts: { files: lazyParts.length, ...lazy } } });
