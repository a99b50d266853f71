// Pre-compresses the built app for the server (tower-http's ServeDir serves `<file>.br` and
// `<file>.gz` beside a file to browsers that accept them): brotli at quality 11 and gzip at
// level 9 once at build time, where compressing every response on the fly would use a fast,
// weaker level (the main WebAssembly module: 222 KB at quality 11 against 268 KB as the server
// compressed it). Files that would not shrink are left alone.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(wasm|js|css|svg|html)$/;

export function precompress(dir) {
  for (const name of readdirSync(dir).filter((name) => COMPRESSIBLE.test(name))) {
    const bytes = readFileSync(join(dir, name));
    const brotli = brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    const gzip = gzipSync(bytes, { level: 9 });
    if (brotli.length < bytes.length) writeFileSync(join(dir, `${name}.br`), brotli);
    if (gzip.length < bytes.length) writeFileSync(join(dir, `${name}.gz`), gzip);
  }
}
