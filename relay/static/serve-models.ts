import type { Handler } from 'hono';
import { HttpError } from '../http/errors.ts';
import { REVALIDATE } from './cache-policy.ts';
import { resolveSafePath } from './safe-path.ts';
import { sendFile, statFile } from './send-file.ts';
import { buildMirrorManifest } from '../models/mirror-manifest.ts';
import type { MirrorManifest } from '../../src/protocol/mirror-manifest.ts';

/** The file list the app reads to know every model file and size; generated when a mirror lacks it. */
const MANIFEST = 'manifest.json';

/**
 * Serves a model mirror folder mounted at `prefix` (`/models/`): files only (plus a generated
 * `manifest.json` when the folder has none), never a directory listing, never anything outside the folder. Symlinks inside it are followed on purpose:
 * a Hugging Face cache snapshot (files linking into `blobs/`) works as a mirror as it is.
 */
export function serveModels(dir: string | null, prefix: string): Handler {
  // Built on first request, once per process: a mirror's files change with a restart.
  let generated: MirrorManifest | undefined;
  return async (c) => {
    const pathname = new URL(c.req.url).pathname;
    if (!dir) throw new HttpError(404, 'no_mirror', 'This relay serves no models: the app loads them from the Hugging Face hub.');
    const resolved = resolveSafePath(dir, pathname.slice(prefix.length));
    if (!resolved.ok) throw new HttpError(400, 'bad_path', `Refused path: ${resolved.reason}.`);
    const stats = resolved.relative === '' ? null : await statFile(resolved.path);
    if (!stats && resolved.relative === MANIFEST) {
      generated ??= buildMirrorManifest(dir);
      c.header('Cache-Control', 'no-cache');
      return c.json(generated);
    }
    if (!stats) throw new HttpError(404, 'not_found', `No model file at ${pathname}.`);
    return sendFile(c.req.raw, resolved.path, stats, REVALIDATE);
  };
}
