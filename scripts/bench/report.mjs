// The tables and budgets of scripts/bench.sh, and target/bench/latest.json.
//   node report.mjs show PART LINES.jsonl   prints PART's table (if its producer printed none)
//                                           and whether each of its budgets is met
//   node report.mjs merge DIR OUT.json      merges DIR/PART.jsonl (+ DIR/PART.load, the output
//                                           of `uptime` when the part started) into OUT.json;
//                                           parts not measured this time keep their last figures
// A PART.jsonl holds the `BENCH_JSON` payloads of its producer, `{"PART": figures}`, one a line.
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';

const KIB = 1024;
/** Parts measured once per knowledge-base size: their figures are a list. */
const PER_SIZE = new Set(['instant_search_browser']);

/** Budgets of issues 4, 8, 13 and 14: [description, budget, measured value, unit] per part. */
/** The budgets of a part, named as measured `on` another set-up. */
const onPostgres = (budgets, on) => budgets.map(([name, ...rest]) => [`${name} (${on})`, ...rest]);

const BUDGETS = {
  download: (f) => [['first-visit download (home page, one search), gzip total', 150 * KIB, f.total.gzip, 'bytes']],
  instant_search_native: (f) => [
    ['native p95 per keystroke at 10,000 articles', 3, bySize(f, 10_000)?.p95_ms, 'ms'],
  ],
  instant_search_browser: (f) => [
    ['Chromium p95 per keystroke at 10,000 articles', 8, bySize(f, 10_000)?.input_to_mark.p95_ms, 'ms'],
    ['Chromium p95 per keystroke at 50,000 articles', 30, bySize(f, 50_000)?.input_to_mark.p95_ms, 'ms'],
  ],
  startup: (f) => [
    ['search box interactive (app took over), typing at first paint, median', 300, throttled(f, 1)?.interactive_median_ms, 'ms'],
    ['search box interactive (app took over), typing at first paint, 4x CPU throttling, median', 1000, throttled(f, 4)?.interactive_median_ms, 'ms'],
  ],
  takeover: (f) =>
    f.results
      .filter((r) => r.cpu_throttling === 4)
      .map((r) => [`${r.page}: blocking time from the first use until the app took over, 4x CPU throttling, median (issue 14's TBT budget)`, 150, r.blocking_median_ms, 'ms']),
  kb_index: (f) => [
    [`index of ${f.articles} articles as Chromium gets it (${f.chromium.encoding})`, 400 * KIB, f.chromium.bytes, 'bytes'],
  ],
  kb_search_load: (f) => [
    [`full-text search p99 at ${f.articles} articles, repeated queries (cached)`, 15, f.p99_ms, 'ms'],
    ['full-text search throughput, repeated queries (cached)', 5000, f.requests_per_s, 'req/s', 'at least'],
  ],
  kb_search_distinct_load: (f) => [
    [`full-text search p99 at ${f.articles} articles, all queries different`, 15, f.p99_ms, 'ms'],
    ['full-text search throughput, all queries different', 5000, f.requests_per_s, 'req/s', 'at least'],
  ],
  search_quality: (f) => [
    ['full-text recall@5', 0.96, f.full_text.recall_at_5, '', 'at least'],
    ['full-text MRR@10', 0.88, f.full_text.mrr_at_10, '', 'at least'],
    ['suggestions recall@5', 0.95, f.suggestions.recall_at_5, '', 'at least'],
    ['instant recall@5 (final keystroke)', 0.85, f.instant.recall_at_5, '', 'at least'],
    ['questions without an answer given a strong match (full text)', 0.1, f.full_text.no_answer_with_strong_match, '', 'at most'],
    ['questions without an answer given a strong match (suggestions)', 0.1, f.suggestions.no_answer_with_strong_match, '', 'at most'],
    ...['recall_at_1', 'recall_at_5', 'mrr_at_10', 'ndcg_at_5'].flatMap((figure) => [
      [`full text ahead of the baseline: ${figure}`, f.baseline_full_text[figure], f.full_text[figure], '', 'at least'],
      [`suggestions ahead of the baseline: ${figure}`, f.baseline_suggestions[figure], f.suggestions[figure], '', 'at least'],
    ]),
  ],
  ticket_list_load: (f) => [
    [`organisation tickets p99, 50 of ${f.tickets}`, 20, f.p99_ms, 'ms'],
    ['ticket list errors', 0, f.errors, 'errors'],
  ],
  ticket_create_load: (f) => [
    ['ticket creation p99', 25, f.p99_ms, 'ms'],
    ['ticket creation throughput', 1000, f.requests_per_s, 'req/s', 'at least'],
    ['ticket creation errors', 0, f.errors, 'errors'],
  ],
  // Issue 18: the same budgets on PostgreSQL, with one server and with two behind nginx.
  ticket_list_load_postgres: (f) => onPostgres(BUDGETS.ticket_list_load(f), 'PostgreSQL'),
  ticket_create_load_postgres: (f) => onPostgres(BUDGETS.ticket_create_load(f), 'PostgreSQL'),
  ticket_list_load_two_servers: (f) => onPostgres(BUDGETS.ticket_list_load(f), 'two servers on PostgreSQL'),
  ticket_create_load_two_servers: (f) => onPostgres(BUDGETS.ticket_create_load(f), 'two servers on PostgreSQL'),
  kb_search_load_postgres: (f) => onPostgres(BUDGETS.kb_search_load(f), 'PostgreSQL'),
  kb_search_distinct_load_postgres: (f) => onPostgres(BUDGETS.kb_search_distinct_load(f), 'PostgreSQL'),
  // Issue 14: a public help centre that opens instantly on a phone (Lighthouse, median runs).
  lighthouse: (f) => {
    const pages = ['home', 'category', 'article', 'support'];
    const run = (page, formFactor) => f.pages.find((p) => p.page === page && p.form_factor === formFactor);
    const worstCls = [...f.pages].sort((a, b) => b.cls - a.cls)[0];
    return [
      ...[
        ['performance', 95],
        ['accessibility', 100],
        ['best_practices', 100],
        ['seo', 100],
      ].flatMap(([score, budget]) =>
        pages.map((page) => [`mobile ${score.replace('_', ' ')} score, ${page}`, budget, run(page, 'mobile')?.scores[score], '', 'at least']),
      ),
      ['article, mobile LCP', 1800, run('article', 'mobile')?.lcp_ms, 'ms'],
      ['article, mobile TBT', 150, run('article', 'mobile')?.tbt_ms, 'ms'],
      [`CLS, worst page and form factor (${worstCls?.page}, ${worstCls?.form_factor})`, 0.02, worstCls?.cls, ''],
      ["bytes before an article's text shows (mobile), gzip", 30 * KIB, f.article_text?.gzip, 'bytes'],
      ['home page first visit (mobile, API answers included), gzip total', 200 * KIB, f.home_first_visit?.gzip, 'bytes'],
    ];
  },
};

const TABLES = {
  instant_search_browser: (f) =>
    table(
      ['articles', 'keystrokes', 'p50 ms', 'p95 ms', 'max ms', 'DOM p50 ms', 'DOM p95 ms', 'DOM max ms'],
      f.map((s) => [
        s.articles,
        s.input_to_mark.samples,
        s.input_to_mark.p50_ms,
        s.input_to_mark.p95_ms,
        s.input_to_mark.max_ms,
        s.input_to_dom.p50_ms,
        s.input_to_dom.p95_ms,
        s.input_to_dom.max_ms,
      ]),
    ),
  startup: (f) =>
    table(
      ['CPU', 'cold loads', `typed "${f.word}" ms (median)`, 'app took over ms (median)', 'first result ms (median)'],
      f.results.map((r) => [
        `${r.cpu_throttling}x`,
        r.loads,
        r.typed_median_ms,
        r.interactive_median_ms,
        r.first_result_median_ms,
      ]),
    ),
  takeover: (f) =>
    table(
      ['page', 'CPU', 'cold loads', 'app took over ms (median)', 'longest task ms (median)', 'blocking ms (median)', 'blocking ms (each load)'],
      f.results.map((r) => [
        r.page,
        `${r.cpu_throttling}x`,
        r.loads,
        r.taken_over_median_ms,
        r.longest_task_median_ms,
        r.blocking_median_ms,
        r.blocking_ms.join('/'),
      ]),
    ),
  kb_index: (f) =>
    table(
      ['articles', 'raw bytes', 'gzip bytes', 'br bytes', 'Chromium gets'],
      [[f.articles, f.raw, f.gzip, f.br, `${f.chromium.bytes} (${f.chromium.encoding})`]],
    ),
  kb_search_load: (f) => loadTable(['articles', f.articles], f),
  kb_search_distinct_load: (f) => loadTable(['articles', f.articles], f),
  ticket_list_load: (f) => loadTable(['tickets', f.tickets], f),
  ticket_create_load: (f) => loadTable(null, f),
  ticket_list_load_postgres: (f) => loadTable(['tickets', f.tickets], f),
  ticket_create_load_postgres: (f) => loadTable(null, f),
  ticket_list_load_two_servers: (f) => loadTable(['tickets', f.tickets], f),
  ticket_create_load_two_servers: (f) => loadTable(null, f),
  kb_search_load_postgres: (f) => loadTable(['articles', f.articles], f),
  kb_search_distinct_load_postgres: (f) => loadTable(['articles', f.articles], f),
  lighthouse: (f) =>
    [
      `Lighthouse ${f.lighthouse_version}, Chromium ${f.chromium}; each row the run with the median performance score of ${f.runs_per_page}`,
      table(
        ['page', 'form factor', 'perf', 'perf runs', 'a11y', 'best pr.', 'SEO', 'FCP ms', 'LCP ms', 'TBT ms', 'CLS', 'requests', 'transferred', 'gzip'],
        f.pages.map((p) => [
          `${p.page} ${p.path}`,
          p.form_factor,
          p.scores.performance,
          p.performance_runs.join('/'),
          p.scores.accessibility,
          p.scores.best_practices,
          p.scores.seo,
          p.fcp_ms,
          p.lcp_ms,
          p.tbt_ms,
          p.cls,
          p.requests,
          p.bytes_transferred,
          p.bytes_gzip,
        ]),
      ),
      `Before the text of ${f.article_text.path} shows (mobile): ${f.article_text.gzip} bytes gzip, ` +
        `${f.article_text.transferred} transferred, ${f.article_text.requests} requests (${f.article_text.how}).`,
      `Home page first visit (mobile): ${f.home_first_visit.gzip} bytes gzip (API answers ${f.home_first_visit.api_gzip}), ` +
        `${f.home_first_visit.transferred} transferred, ${f.home_first_visit.requests} requests.`,
      'Failing audits (accessibility, best practices, SEO), with the pages and form factors that fail them:',
      ...failingAudits(f.pages),
      ...Object.entries(
        Object.entries(f.errored_audits).reduce((byMessage, [id, message]) => {
          (byMessage[message] ??= []).push(id);
          return byMessage;
        }, {}),
      ).map(([message, ids]) => `Lighthouse could not run ${ids.join(', ')} (informative, not scored): ${message}`),
    ].join('\n'),
};

/** Lighthouse's failing audits, each once, with where it fails and its first items. */
function failingAudits(pages) {
  const audits = new Map();
  for (const p of pages) {
    for (const a of p.failing_audits) {
      const key = JSON.stringify([a.category, a.id, a.display_value, a.items]);
      if (!audits.has(key)) audits.set(key, { ...a, where: [] });
      audits.get(key).where.push(`${p.page} ${p.form_factor}`);
    }
  }
  if (audits.size === 0) return ['  none'];
  return [...audits.values()].flatMap((a) => [
    `  ${a.category} ${a.id} (${a.title}${a.display_value ? `; ${a.display_value}` : ''}): ${a.where.join(', ')}`,
    ...a.items.slice(0, 3).map((item) => `      ${item}`),
  ]);
}

/** A wrk run's figures, after an optional leading [name, value] column. */
function loadTable(lead, f) {
  const header = ['connections', 'seconds', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'peak RSS MiB'];
  const row = [f.connections, f.duration_s, f.requests, f.requests_per_s, f.p50_ms, f.p99_ms, f.max_ms, f.errors, f.peak_rss_mib];
  return lead ? table([lead[0], ...header], [[lead[1], ...row]]) : table(header, [row]);
}

function bySize(rows, articles) {
  return rows.find((row) => row.articles === articles);
}

function throttled(figures, rate) {
  return figures.results.find((result) => result.cpu_throttling === rate);
}

function table(header, rows) {
  const widths = header.map((name, i) => Math.max(name.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padStart(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => `${'-'.repeat(w + 1)}:`).join('|')}|`, ...rows.map(line)].join('\n');
}

function verdicts(part, figures) {
  return BUDGETS[part](figures).map(([what, budget, measured, unit, direction = 'at most']) => ({
    what,
    budget: `${direction} ${budget} ${unit}`,
    measured: measured ?? null,
    met: measured === undefined || measured === null ? null : direction === 'at most' ? measured <= budget : measured >= budget,
  }));
}

function readFigures(part, file) {
  const payloads = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line)[part]);
  return PER_SIZE.has(part) ? payloads : payloads[0];
}

function show(part, file) {
  const figures = readFigures(part, file);
  if (TABLES[part]) console.log(TABLES[part](figures));
  for (const v of verdicts(part, figures)) {
    const verdict = v.met === null ? 'not measured' : v.met ? 'met' : 'MISSED';
    console.log(`budget: ${v.what}: ${v.budget}; measured ${v.measured ?? '-'}: ${verdict}`);
  }
}

function merge(dir, out) {
  const now = new Date().toISOString();
  const parts = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')).parts ?? {}) : {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
    const part = path.basename(name, '.jsonl');
    const loadFile = path.join(dir, `${part}.load`);
    const figures = readFigures(part, path.join(dir, name));
    parts[part] = {
      date: now,
      machine_load: existsSync(loadFile) ? readFileSync(loadFile, 'utf8').trim() : null,
      figures,
    };
  }
  const budgets = Object.entries(parts).flatMap(([part, { figures }]) =>
    verdicts(part, figures).map((v) => ({ part, ...v })),
  );
  const report = {
    date: now,
    cores: Number(process.env.BENCH_NPROC) || cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    parts,
    budgets,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'show' && args.length === 2) show(...args);
else if (command === 'merge' && args.length === 2) merge(...args);
else {
  console.error('usage: report.mjs show PART LINES.jsonl | merge DIR OUT.json');
  process.exit(2);
}
