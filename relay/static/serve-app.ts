import { join } from 'node:path';
import type { Handler } from 'hono';
import { HttpError } from '../http/errors.ts';
import { appCachePolicy, REVALIDATE } from './cache-policy.ts';
import { resolveSafePath } from './safe-path.ts';
import { sendFile, statFile } from './send-file.ts';

/** The page that owns a client-side route: the agent dashboard is its own Vite entry. */
function spaEntry(pathname: string): string {
  return pathname === '/agent' || pathname.startsWith('/agent/') ? 'agent/index.html' : 'index.html';
}

/** A missing path that names a file (has an extension) is a 404, not a page. */
function looksLikeFile(pathname: string): boolean {
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return /\.[A-Za-z0-9]+$/.test(last);
}

/**
 * Serves the built app from `distDir`: existing files as they are, client-side routes
 * (`/agent/queue`, `/settings`) as the entry page that renders them.
 */
export function serveApp(distDir: string): Handler {
  return async (c) => {
    const pathname = new URL(c.req.url).pathname;
    const resolved = resolveSafePath(distDir, pathname);
    if (!resolved.ok) throw new HttpError(400, 'bad_path', `Refused path: ${resolved.reason}.`);

    const stats = resolved.relative === '' ? null : await statFile(resolved.path);
    if (stats) return sendFile(c.req.raw, resolved.path, stats, appCachePolicy(resolved.relative));
    if (looksLikeFile(pathname)) throw new HttpError(404, 'not_found', `No file at ${pathname}.`);

    const entry = join(distDir, spaEntry(pathname));
    const entryStats = await statFile(entry);
    if (!entryStats) {
      throw new HttpError(404, 'app_not_built', 'The app is not built (no dist/index.html): run `npm run build`.');
    }
    return sendFile(c.req.raw, entry, entryStats, REVALIDATE);
  };
}
