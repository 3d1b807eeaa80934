import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** Where real users' browsers download models from when no mirror is configured. */
export const HUB_CONNECT_SRC = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

export interface SecurityOptions {
  /** Extra `connect-src` sources (e.g. a CDN mirror of the models on another origin). */
  extraConnectSrc?: string[];
}

/**
 * Secure headers for every response, tuned for this app: it must be cross-origin isolated
 * (COOP + COEP + CORP) so SharedArrayBuffer and multi-threaded wasm work, and its CSP must
 * allow what in-browser inference needs: wasm compilation (`'wasm-unsafe-eval'`), workers
 * and AudioWorklets (some libraries start them from `blob:` URLs), model downloads from
 * the hub, and microphone access from our own origin. Inline scripts stay forbidden.
 */
export function securityHeaders(options: SecurityOptions = {}): MiddlewareHandler {
  return secureHeaders({
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginEmbedderPolicy: 'require-corp',
    crossOriginResourcePolicy: 'same-origin',
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'wasm-unsafe-eval'", 'blob:'],
      workerSrc: ["'self'", 'blob:'],
      connectSrc: ["'self'", 'blob:', 'data:', ...HUB_CONNECT_SRC, ...(options.extraConnectSrc ?? [])],
      imgSrc: ["'self'", 'data:', 'blob:'],
      mediaSrc: ["'self'", 'data:', 'blob:'],
      // Inline style attributes are common in React components and harmless next to a strict script-src.
      styleSrc: ["'self'", "'unsafe-inline'"],
      fontSrc: ["'self'", 'data:'],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
    },
    permissionsPolicy: { microphone: ['self'], camera: [], geolocation: [] },
    // Referrers only within our origin: conversation ids in dashboard URLs stay here.
    referrerPolicy: 'same-origin',
  });
}
