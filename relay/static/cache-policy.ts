// Vite puts content-hashed files under /assets/: they never change, so browsers keep them.
// Everything else (index.html, sw.js, the manifest, models) must be revalidated so a new
// deployment is picked up; ETags keep that revalidation a cheap 304.

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

export function appCachePolicy(relativePath: string): string {
  return relativePath.startsWith('assets/') ? IMMUTABLE : REVALIDATE;
}
