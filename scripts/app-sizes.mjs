// Download sizes of the release app: raw, gzip and brotli bytes of every wasm, js and css file
// in dist/, as a first visit fetches them (the knowledge-base index is fetched separately).
// Prints a table and one JSON line (`BENCH_JSON {...}`) that scripts/bench.sh collects.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dist = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'dist'));
const budgetGzip = 150 * 1024;

const files = (existsSync(dist) ? readdirSync(dist) : [])
  .filter((name) => /\.(wasm|js|css)$/.test(name))
  .map((name) => {
    const bytes = readFileSync(path.join(dist, name));
    return {
      file: name,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
      }).length,
    };
  });
if (!files.some((f) => f.file.endsWith('.wasm'))) {
  console.error(`no release build in ${dist}: build it first (scripts/run.sh or trunk build --release)`);
  process.exit(1);
}
const total = files.reduce(
  (sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip, brotli: sum.brotli + f.brotli }),
  { raw: 0, gzip: 0, brotli: 0 },
);

const row = (name, raw, gzip, brotli) =>
  console.log(`${name.padEnd(44)} ${String(raw).padStart(10)} ${String(gzip).padStart(10)} ${String(brotli).padStart(10)}`);
row('file', 'raw', 'gzip', 'brotli');
for (const f of files) row(f.file, f.raw, f.gzip, f.brotli);
row('total', total.raw, total.gzip, total.brotli);
console.log(`budget: at most ${budgetGzip} bytes gzip in total: ${total.gzip <= budgetGzip ? 'met' : 'MISSED'}`);
console.log(`BENCH_JSON ${JSON.stringify({ download: { files, total, budget_gzip: budgetGzip } })}`);
