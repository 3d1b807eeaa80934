import type { Context } from 'hono';

/**
 * The caller's address for rate limiting. Behind a reverse proxy every request comes from
 * the proxy, so `trustProxy` takes the first `X-Forwarded-For` hop instead; without a
 * proxy that header is the client's to forge, so it is ignored.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
