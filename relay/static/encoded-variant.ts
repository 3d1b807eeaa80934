import type { Stats } from 'node:fs';
import { statFile } from './send-file.ts';

// The build writes `<file>.br` and `<file>.gz` beside each compressible file of the app
// (tools/vite/precompress.ts). Sending one of those instead of the file is what keeps a first
// visit small: onnxruntime's 27 MB wasm travels as 4.7 MB.

export type ContentCoding = 'br' | 'gzip';

/** Suffix of each coding's precompressed file, best first. */
const VARIANTS: readonly { coding: ContentCoding; suffix: string }[] = [
  { coding: 'br', suffix: '.br' },
  { coding: 'gzip', suffix: '.gz' },
];

/** The q-value `Accept-Encoding` gives `coding` (explicitly or through `*`); 0 when refused or absent. */
export function acceptsCoding(header: string | null, coding: ContentCoding): number {
  if (!header) return 0;
  let wildcard = 0;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    const value = Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0;
    if (name.trim() === coding || (coding === 'gzip' && name.trim() === 'x-gzip')) return value;
    if (name.trim() === '*') wildcard = value;
  }
  return wildcard;
}

export interface EncodedVariant {
  path: string;
  stats: Stats;
  coding: ContentCoding;
}

/**
 * The precompressed file to send for `path` (whose stats are `original`), or null for the file
 * itself: none exists, the browser accepts neither coding, it asks for a byte range (ranges count
 * bytes of what is sent, and resumed downloads of app files are not worth a second meaning of the
 * offsets), or the copy is older than the file. A file changed after the build (a hand-patched
 * deployment) must not be shadowed by its old compressed copy.
 */
export async function encodedVariant(req: Request, path: string, original: Stats): Promise<EncodedVariant | null> {
  if (req.headers.has('range')) return null;
  const header = req.headers.get('accept-encoding');
  const accepted = VARIANTS.map((variant) => ({ ...variant, q: acceptsCoding(header, variant.coding) }))
    .filter((variant) => variant.q > 0)
    // Stable sort: at equal q the smaller coding (brotli) stays first.
    .sort((a, b) => b.q - a.q);
  for (const variant of accepted) {
    const stats = await statFile(path + variant.suffix);
    if (stats && stats.mtimeMs >= original.mtimeMs) return { path: path + variant.suffix, stats, coding: variant.coding };
  }
  return null;
}
