// Lighthouse on the public pages of a running server (scripts/bench.sh lighthouse):
//   node scripts/bench/lighthouse.mjs --url http://127.0.0.1:PORT --lighthouse tools/lighthouse/node_modules/.bin/lighthouse \
//     --work DIR [--runs 3] [--keep DIR]
// Audits the home page, the category the home page lists first (`/?category=SLUG`), that
// category's first article (`/kb/SLUG`) and /support, each with Lighthouse's mobile default
// (simulated slow 4G, 4x CPU slowdown, a phone's screen) and with `--preset=desktop`, `--runs`
// times each in a new Chromium (cold cache). Of the runs of one page and form factor, the run
// with the median performance score is reported, all of its figures (scores and metrics) from
// that one run, not per-metric medians, so that they belong together; the other runs'
// performance scores are kept beside it. The median runs' reports are kept in --keep.
//
// Bytes: Lighthouse's `total-byte-weight` is what Chromium transferred (the server answers it
// with brotli; headers included). The gzip figures are the bodies the server sends for each
// request of the run when asked with `Accept-Encoding: gzip` (fetched again after the run),
// headers not included:
//   - article_text: bytes before an article's text can show. When the article's HTML holds its
//     text (its title in the <body>), the HTML and the resources Chromium marked render-blocking
//     (the trace's `renderBlocking`); otherwise everything the page fetched until the article's
//     JSON (`/api/v1/kb/articles/SLUG`) had arrived, that JSON included.
//   - home_first_visit: every request of the home page's mobile run (API answers, the
//     knowledge-base index among them, included).
// Prints a progress line per run and one BENCH_JSON line, {"lighthouse": figures}.
//
// Known: with Chromium 156, Lighthouse 12.2.3 cannot run a few informative audits (no weight in
// any score: render-blocking-resources, layout-shifts, largest-contentful-paint-element, ...):
// its trace engine reads `chrome_frame_reporter` of PipelineReporter trace events, which this
// Chromium names `frame_reporter`. They are listed as errored_audits. Render-blocking requests
// are therefore read from the run's trace (`ResourceSendRequest`'s `renderBlocking`) instead.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const LIGHTHOUSE_VERSION = '12.2.3';
const CHROME_FLAGS = '--headless=new --no-sandbox';
const RUN_TIMEOUT_MS = 180_000;
const FORM_FACTORS = ['mobile', 'desktop'];
/** URL -> bytes of the body the server sends as gzip (the same for every run). */
const gzipCache = new Map();
const CATEGORIES = { performance: 'performance', accessibility: 'accessibility', 'best-practices': 'best_practices', seo: 'seo' };

const opts = options({ url: '', lighthouse: '', work: '', runs: '3', keep: '' });
if (!opts.url || !opts.lighthouse || !opts.work) throw new Error('--url, --lighthouse and --work are required');
const base = opts.url.replace(/\/$/, '');
const runs = Number(opts.runs);
mkdirSync(opts.work, { recursive: true });
if (opts.keep) {
  rmSync(opts.keep, { recursive: true, force: true });
  mkdirSync(opts.keep, { recursive: true });
}

// The pages: a category and an article the demo knowledge base really has.
const index = JSON.parse((await get(`${base}/api/v1/kb/index`)).decoded.toString('utf8'));
const category = [...index.categories]
  .filter((c) => c.article_count > 0)
  .sort((a, b) => b.article_count - a.article_count)[0]; // stable: the home page's first
if (!category) throw new Error('the knowledge base has no category with articles');
const article = index.articles.find((a) => a.category === category.slug);
const PAGES = [
  { page: 'home', path: '/' },
  { page: 'category', path: `/?category=${encodeURIComponent(category.slug)}` },
  { page: 'article', path: `/kb/${encodeURIComponent(article.slug)}` },
  { page: 'support', path: '/support' },
];

const results = [];
const kept = {};
// Debian's wrapper prints the full version (the user agent names only the major one).
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const chromium = execFileSync(chromePath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  .match(/[\d.]+/)?.[0] ?? null;
for (const { page, path: pagePath } of PAGES) {
  for (const formFactor of FORM_FACTORS) {
    const reports = [];
    for (let run = 1; run <= runs; run++) {
      const started = Date.now();
      const report = await lighthouse(`${base}${pagePath}`, formFactor, `${page}-${formFactor}-${run}`);
      reports.push(report);
      console.log(
        `    ${page} (${pagePath}) ${formFactor} run ${run}/${runs}: performance ${score(report, 'performance')}, ` +
          `LCP ${Math.round(report.audits['largest-contentful-paint'].numericValue)} ms, ` +
          `TBT ${Math.round(report.audits['total-blocking-time'].numericValue)} ms ` +
          `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
    const median = medianRun(reports);
    const figures = await pageFigures(page, pagePath, formFactor, median, reports);
    results.push(figures);
    kept[`${page}-${formFactor}`] = median;
    if (opts.keep) copyFileSync(median.file, path.join(opts.keep, `${page}-${formFactor}.report.json`));
  }
}

const articleText = await articleTextBytes(kept['article-mobile'], article);
const home = kept['home-mobile'];
const homeRequests = await gzipRequests(home);
const homeFirstVisit = {
  path: '/',
  form_factor: 'mobile',
  requests: homeRequests.length,
  transferred: home.audits['total-byte-weight'].numericValue,
  gzip: sum(homeRequests, 'gzip'),
  api_gzip: sum(homeRequests.filter((r) => r.path.startsWith('/api/')), 'gzip'),
  files: homeRequests,
};

// Audits that could not run (not errors of the page): listed once, by id.
const errored = Object.fromEntries(
  Object.values(kept)
    .flatMap((r) => Object.values(r.audits))
    .filter((a) => a.scoreDisplayMode === 'error')
    .map((a) => [a.id, a.errorMessage]),
);

printBenchJson({
  lighthouse: {
    lighthouse_version: LIGHTHOUSE_VERSION,
    chromium,
    chrome_flags: CHROME_FLAGS,
    runs_per_page: runs,
    reported_run: 'the run with the median performance score; every figure from that run',
    category: category.slug,
    article: article.slug,
    pages: results,
    article_text: articleText,
    home_first_visit: homeFirstVisit,
    errored_audits: errored,
  },
});

/** Runs Lighthouse once; returns its report (with `file` and the trace's requests). */
function lighthouse(url, formFactor, name) {
  const output = path.join(opts.work, `${name}.json`);
  const args = [
    url,
    '--output=json',
    `--output-path=${output}`,
    '--save-assets', // the trace: which requests Chromium found render-blocking
    `--chrome-flags=${CHROME_FLAGS}`,
    '--quiet',
    ...(formFactor === 'desktop' ? ['--preset=desktop'] : []),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      opts.lighthouse,
      args,
      { timeout: RUN_TIMEOUT_MS, env: { ...process.env, CHROME_PATH: chromePath } },
      (error, _stdout, stderr) => {
        if (error) return reject(new Error(`lighthouse failed on ${url} (${formFactor}): ${error.message}\n${stderr}`));
        const report = JSON.parse(readFileSync(output, 'utf8'));
        if (report.runtimeError) return reject(new Error(`lighthouse on ${url}: ${report.runtimeError.code} ${report.runtimeError.message}`));
        const traceFile = output.replace(/\.json$/, '-0.trace.json');
        const trace = JSON.parse(readFileSync(traceFile, 'utf8'));
        report.file = output;
        report.traceRequests = new Map(
          (trace.traceEvents ?? trace)
            .filter((e) => e.name === 'ResourceSendRequest' && e.args?.data?.url)
            .map((e) => [e.args.data.url, { method: e.args.data.requestMethod ?? 'GET', renderBlocking: e.args.data.renderBlocking ?? null }]),
        );
        rmSync(traceFile, { force: true });
        rmSync(output.replace(/\.json$/, '-0.devtoolslog.json'), { force: true });
        resolve(report);
      },
    );
  });
}

function score(report, id) {
  const value = report.categories[id]?.score;
  return value === null || value === undefined ? null : Math.round(value * 100);
}

/** The run with the median performance score (runs of equal score ordered by LCP). */
function medianRun(reports) {
  const sorted = [...reports].sort(
    (a, b) =>
      (score(a, 'performance') ?? -1) - (score(b, 'performance') ?? -1) ||
      b.audits['largest-contentful-paint'].numericValue - a.audits['largest-contentful-paint'].numericValue,
  );
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

async function pageFigures(page, pagePath, formFactor, report, reports) {
  const metric = (id, digits = 0) => round(report.audits[id].numericValue, digits);
  const requests = await gzipRequests(report);
  return {
    page,
    path: pagePath,
    form_factor: formFactor,
    scores: Object.fromEntries(Object.entries(CATEGORIES).map(([id, key]) => [key, score(report, id)])),
    performance_runs: reports.map((r) => score(r, 'performance')),
    fcp_ms: metric('first-contentful-paint'),
    lcp_ms: metric('largest-contentful-paint'),
    tbt_ms: metric('total-blocking-time'),
    cls: metric('cumulative-layout-shift', 3),
    speed_index_ms: metric('speed-index'),
    requests: requests.length,
    bytes_transferred: report.audits['total-byte-weight'].numericValue,
    bytes_gzip: sum(requests, 'gzip'),
    failing_audits: failingAudits(report),
  };
}

/** Audits that count towards a category's score and did not pass, with a few of their items. */
function failingAudits(report) {
  const failing = [];
  for (const [id, key] of Object.entries(CATEGORIES)) {
    for (const ref of report.categories[id]?.auditRefs ?? []) {
      const audit = report.audits[ref.id];
      // Performance: the metrics are in the table already.
      if (id === 'performance' || ref.weight === 0 || audit.score === null || audit.score >= 1) continue;
      failing.push({
        category: key,
        id: audit.id,
        title: audit.title,
        ...(audit.displayValue ? { display_value: audit.displayValue } : {}),
        items: (audit.details?.items ?? []).slice(0, 5).map(describeItem).filter(Boolean),
      });
    }
  }
  return failing;
}

function describeItem(item) {
  const text =
    item.description ?? item.node?.snippet ?? (item.line ? `line ${item.index}: ${item.line} (${item.message})` : null) ?? item.url ?? item.source;
  return typeof text === 'string' ? text.replace(/\s+/g, ' ').slice(0, 200) : null;
}

/** The run's requests with what Chromium transferred and the body the server sends as gzip. */
async function gzipRequests(report) {
  const rows = [];
  for (const request of report.audits['network-requests'].details.items) {
    if (!/^https?:/.test(request.url)) continue;
    const sameOrigin = new URL(request.url).origin === new URL(base).origin;
    const method = report.traceRequests.get(request.url)?.method ?? 'GET';
    const gzip = sameOrigin && method === 'GET' ? await gzipSize(request.url) : null;
    rows.push({
      path: sameOrigin ? new URL(request.url).pathname + new URL(request.url).search : request.url,
      type: request.resourceType ?? null,
      status: request.statusCode,
      end_ms: round(request.networkEndTime ?? 0, 1),
      render_blocking: report.traceRequests.get(request.url)?.renderBlocking ?? null,
      transferred: request.transferSize ?? 0,
      // Not a GET of this server: what Chromium transferred instead.
      gzip: gzip ?? request.transferSize ?? 0,
    });
  }
  return rows;
}

async function articleTextBytes(report, entry) {
  const requests = await gzipRequests(report);
  const documentUrl = report.finalDisplayedUrl ?? report.finalUrl;
  const html = (await get(documentUrl)).decoded.toString('utf8');
  const textInHtml = visibleText(html).includes(entry.title.replace(/\s+/g, ' '));
  const documentPath = new URL(documentUrl).pathname;
  let counted;
  let how;
  if (textInHtml) {
    how = "the article's text is in its HTML: the HTML and the render-blocking resources";
    counted = requests.filter(
      (r) => r.path === documentPath || r.render_blocking === 'blocking' || r.render_blocking === 'in_body_parser_blocking',
    );
  } else {
    const json = requests.find((r) => r.path.startsWith(`/api/v1/kb/articles/${encodeURIComponent(entry.slug)}`));
    how = json
      ? "the HTML does not hold the article's text: everything fetched until the article's JSON had arrived"
      : "the HTML does not hold the article's text and the page fetched no article JSON: every request";
    counted = json ? requests.filter((r) => r.end_ms <= json.end_ms) : requests;
  }
  return {
    path: documentPath,
    form_factor: 'mobile',
    text_in_html: textInHtml,
    how,
    requests: counted.length,
    transferred: sum(counted, 'transferred'),
    gzip: sum(counted, 'gzip'),
    files: counted.map(({ path: p, gzip, transferred, render_blocking }) => ({ path: p, gzip, transferred, render_blocking })),
  };
}

/** The text of an HTML document's <body>, tags dropped and the common entities decoded. */
function visibleText(html) {
  const body = html.replace(/^[\s\S]*?<body[^>]*>/i, '').replace(/<(script|style|template|noscript)\b[\s\S]*?<\/\1>/gi, ' ');
  return body
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|#x27|apos|nbsp);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", apos: "'", nbsp: ' ' })[e])
    .replace(/\s+/g, ' ');
}

async function gzipSize(url) {
  if (!gzipCache.has(url)) gzipCache.set(url, (await get(url)).body.length);
  return gzipCache.get(url);
}

/** GET with `Accept-Encoding: gzip`: the body as sent, and decoded. */
function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          const gzipped = response.headers['content-encoding'] === 'gzip';
          resolve({ status: response.statusCode, body, decoded: gzipped ? gunzipSync(body) : body });
        });
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

function sum(rows, key) {
  return rows.reduce((total, row) => total + (row[key] ?? 0), 0);
}

function round(value, digits) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `--name value` pairs of the command line. */
function options(defaults) {
  const parsed = { ...defaults };
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, '');
    if (!(name in defaults)) throw new Error(`unknown option ${args[i]}`);
    parsed[name] = args[i + 1];
  }
  return parsed;
}

function printBenchJson(figures) {
  console.log(`BENCH_JSON ${JSON.stringify(figures)}`);
}
