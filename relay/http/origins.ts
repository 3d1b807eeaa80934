import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { HttpError } from './errors.ts';

/**
 * CORS for the API: only the configured origins (`RELAY_ALLOWED_ORIGINS`) may call it from
 * another origin. The app and the dashboard are same-origin and need no CORS at all.
 */
export function apiCors(allowedOrigins: string[]): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'Last-Event-ID'],
    maxAge: 600,
    credentials: false,
  });
}

/**
 * Agent routes act on a session cookie, so a write must come from our own page or an
 * allowed origin. SameSite=Strict and the JSON content type already stop cross-site forms;
 * this refuses what a browser labels as coming from elsewhere.
 */
export function sameOriginWrites(allowedOrigins: string[], trustProxy: boolean): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && origin && !allowed.has(origin)) {
      const host = (trustProxy && c.req.header('x-forwarded-host')) || c.req.header('host') || new URL(c.req.url).host;
      let originHost = '';
      try {
        originHost = new URL(origin).host;
      } catch {
        // "null" or garbage: not our page
      }
      if (originHost !== host) throw new HttpError(403, 'forbidden_origin', 'Requests from this origin are not allowed.');
    }
    await next();
  };
}
