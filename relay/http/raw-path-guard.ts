import type { MiddlewareHandler } from 'hono';
import { HttpError } from './errors.ts';

// `.`/`..` segments, also percent-encoded, also with a backslash as the separator.
const DOT_SEGMENT = /(?:^|[/\\])(?:\.|%2e){1,2}(?:[/\\?#]|$)/i;

/**
 * URL parsing silently resolves `/models/../../etc/passwd` to `/etc/passwd` before any
 * route sees it. Browsers never send such paths, so a request whose raw target has
 * dot-segments is an attack or a broken client: refuse it outright rather than serve
 * whatever the normalised path happens to be.
 */
export function rawPathGuard(): MiddlewareHandler {
  return async (c, next) => {
    const raw = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url;
    const target = raw ?? '';
    const path = target.split('?')[0] ?? '';
    if (DOT_SEGMENT.test(path) || path.includes('\0') || /%00/.test(path)) {
      throw new HttpError(400, 'bad_path', 'Refused path: dot-segments or NUL bytes.');
    }
    await next();
  };
}
