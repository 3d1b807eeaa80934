import { join, resolve, sep } from 'node:path';

export type SafePath = { ok: true; path: string; relative: string } | { ok: false; reason: string };

/**
 * Maps the raw (still percent-encoded) URL path below a mount point to a file inside `root`.
 * Decodes each segment separately, so an encoded `/` or `\` can never create a new segment,
 * and refuses dot-segments, hidden files, empty segments and NUL bytes outright instead of
 * normalising them: a request that needs normalising is not one a browser sends.
 * A trailing slash names the folder itself (callers then find no file there).
 */
export function resolveSafePath(root: string, rawPath: string): SafePath {
  // One leading and one trailing slash are how URLs look; anything more is suspicious.
  const trimmed = rawPath.replace(/^\//, '').replace(/\/$/, '');
  if (trimmed === '') return { ok: true, path: resolve(root), relative: '' };
  const segments: string[] = [];
  for (const raw of trimmed.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, reason: 'malformed percent-encoding' };
    }
    if (segment === '') return { ok: false, reason: 'empty path segment' };
    if (segment.startsWith('.')) return { ok: false, reason: 'dot-segment or hidden file' };
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
    if (/[\\/\0]/.test(segment) || /[\x00-\x1f\x7f]/.test(segment)) {
      return { ok: false, reason: 'forbidden character in path' };
    }
    segments.push(segment);
  }
  const base = resolve(root);
  const path = join(base, ...segments);
  // Belt and braces: the checks above already make escaping impossible.
  if (!path.startsWith(base + sep)) return { ok: false, reason: 'outside the served folder' };
  return { ok: true, path, relative: segments.join('/') };
}
