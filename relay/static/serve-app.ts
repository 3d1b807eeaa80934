import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { Handler } from 'hono';
import { HttpError } from '../http/errors.ts';
import { appCachePolicy, REVALIDATE } from './cache-policy.ts';
import { encodedVariant } from './encoded-variant.ts';
import { contentTypeFor } from './mime.ts';
import { resolveSafePath } from './safe-path.ts';
import { type SendOptions, sendFile, statFile } from './send-file.ts';

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
    if (stats) return sendBest(c.req.raw, resolved.path, stats, appCachePolicy(resolved.relative));
    if (looksLikeFile(pathname)) throw new HttpError(404, 'not_found', `No file at ${pathname}.`);

    const entry = join(distDir, spaEntry(pathname));
    const entryStats = await statFile(entry);
    if (!entryStats) {
      throw new HttpError(404, 'app_not_built', 'The app is not built (no dist/index.html): run `npm run build`.');
    }
    return sendBest(c.req.raw, entry, entryStats, REVALIDATE);
  };
}

/** The file's precompressed copy in a coding the browser accepts (the build writes them), else the file. */
async function sendBest(req: Request, path: string, stats: Stats, cacheControl: string): Promise<Response> {
  const variant = await encodedVariant(req, path, stats);
  const options: SendOptions = { varyOnEncoding: true };
  if (!variant) return sendFile(req, path, stats, cacheControl, options);
  return sendFile(req, variant.path, variant.stats, cacheControl, { ...options, contentType: contentTypeFor(path), contentEncoding: variant.coding });
}
