import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Logger, Plugin } from 'vite';

// A first visit downloads the app and its runtimes before any model: onnxruntime's wasm alone is
// 27 MB, 4.7 MB in brotli. Compressing on every request would cost the relay seconds of CPU per
// visitor (brotli at a useful quality is slow) and gzip-only on the fly leaves 40% on the table,
// so the build writes `<file>.br` and `<file>.gz` beside each compressible file once, and the
// relay (relay/static/encoded-variant.ts) sends the one the browser accepts.

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Types that compress: code, styles, pages, wasm, JSON, SVG, and the VAD's ONNX graph. */
export const PRECOMPRESSED_EXTENSIONS = ['.js', '.mjs', '.css', '.html', '.wasm', '.json', '.webmanifest', '.svg', '.txt', '.onnx'];

/** Below this the headers outweigh the saving. */
const MIN_BYTES = 1024;

/**
 * Brotli's best quality (11) takes ~100 s for the 27 MB onnxruntime wasm on these 2-core machines
 * against ~4 s at 9, for 15% more bytes (4.0 vs 4.7 MB): big files use 9, the rest 11.
 */
const BIG_FILE_BYTES = 1024 * 1024;

export interface PrecompressResult {
  file: string;
  bytes: number;
  brotliBytes: number;
  gzipBytes: number;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

export function isPrecompressible(path: string): boolean {
  return PRECOMPRESSED_EXTENSIONS.some((extension) => path.endsWith(extension));
}

/** Writes a `.br` and a `.gz` beside every compressible file of `dir` that compression makes smaller. */
export async function precompressDir(dir: string): Promise<PrecompressResult[]> {
  const files = (await filesUnder(dir)).filter(isPrecompressible);
  const results: PrecompressResult[] = [];
  // zlib's async calls run on libuv's thread pool: all files at once use every core.
  await Promise.all(
    files.map(async (file) => {
      if ((await stat(file)).size < MIN_BYTES) return;
      const bytes = await readFile(file);
      const quality = bytes.length > BIG_FILE_BYTES ? 9 : constants.BROTLI_MAX_QUALITY;
      const [brotliBytes, gzipBytes] = await Promise.all([
        brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
        gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      // A variant no smaller than the file would only cost the relay a lookup.
      if (brotliBytes.length < bytes.length) await writeFile(`${file}.br`, brotliBytes);
      if (gzipBytes.length < bytes.length) await writeFile(`${file}.gz`, gzipBytes);
      results.push({ file, bytes: bytes.length, brotliBytes: brotliBytes.length, gzipBytes: gzipBytes.length });
    }),
  );
  return results;
}

/** Precompresses the build output, after every other plugin (the service worker included) has written it. */
export function precompress(): Plugin {
  let outDir = 'dist';
  let logger: Logger | undefined;
  return {
    name: 'hearth:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : join(config.root, config.build.outDir);
      logger = config.logger;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const results = await precompressDir(outDir);
        const total = results.reduce((sum, result) => sum + result.bytes, 0);
        const brotliTotal = results.reduce((sum, result) => sum + result.brotliBytes, 0);
        const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
        logger?.info(`${results.length} files precompressed: ${mb(total)} MB -> ${mb(brotliTotal)} MB brotli`);
      },
    },
  };
}
