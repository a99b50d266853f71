// Download sizes of the release app: raw, gzip and brotli bytes of the wasm, js and css files in
// dist/. Run as a script it prints them, split into what every visit loads and the lazily
// loaded parts of single pages; end2end/bench/first-visit.mjs uses the same functions to count
// exactly what a first visit fetched. Gzip at level 9 and brotli at quality 11, as a static
// host would pre-compress them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** A WebAssembly part that only the pages using it load (split off by `cargo xtask app`). */
export function isLazyPart(name) {
  return /^(chunk|split)_.*\.wasm$/.test(name);
}

export function fileSizes(dist, names) {
  return names
    .filter((name) => /\.(wasm|js|css)$/.test(name))
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dist, name));
      return {
        file: name,
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
    });
}

export function sumSizes(files) {
  return files.reduce(
    (sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip, brotli: sum.brotli + f.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
}

const row = (name, raw, gzip, brotli) =>
  console.log(`${name.padEnd(44)} ${String(raw).padStart(10)} ${String(gzip).padStart(10)} ${String(brotli).padStart(10)}`);

export function printSizeTable(files) {
  row('file', 'raw', 'gzip', 'brotli');
  for (const f of files) row(f.file.length > 44 ? `${f.file.slice(0, 41)}...` : f.file, f.raw, f.gzip, f.brotli);
  const total = sumSizes(files);
  row('total', total.raw, total.gzip, total.brotli);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'dist'));
  const names = existsSync(dist) ? readdirSync(dist) : [];
  if (!names.some((name) => name.endsWith('.wasm'))) {
    console.error(`no release build in ${dist}: build it first (scripts/run.sh or trunk build --release)`);
    process.exit(1);
  }
  const everyVisit = fileSizes(dist, names.filter((name) => !isLazyPart(name)));
  const parts = fileSizes(dist, names.filter(isLazyPart));
  console.log('Loaded by every visit:');
  printSizeTable(everyVisit);
  const partsTotal = sumSizes(parts);
  console.log(`Lazily loaded parts of single pages: ${parts.length} files, ${partsTotal.gzip} bytes gzip in all.`);
  console.log('What the first visit of the home page downloads: scripts/bench.sh download.');
}
