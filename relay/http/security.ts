import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** Where real users' browsers download models from when no mirror is configured. */
export const HUB_CONNECT_SRC = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

/**
 * Where WebLLM downloads the compiled model libraries of its prebuilt models (`model_lib` in
 * `prebuiltAppConfig`: `https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/<version>/<file>.wasm`).
 * That repository's path only, not the whole of raw.githubusercontent.com: every GitHub user's
 * files are served from that host. The libraries are plain git files there (no LFS redirect).
 * Its weights come from huggingface.co (and the hub's CDN redirects to *.hf.co): HUB_CONNECT_SRC.
 */
export const WEBLLM_LIBRARY_CONNECT_SRC = ['https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/'];

export interface SecurityOptions {
  /** Extra `connect-src` sources (e.g. a CDN mirror of the models on another origin). */
  extraConnectSrc?: string[];
}

/**
 * Secure headers for every response, tuned for this app: it must be cross-origin isolated
 * (COOP + COEP + CORP) so SharedArrayBuffer and multi-threaded wasm work, and its CSP must
 * allow what in-browser inference needs: wasm compilation (`'wasm-unsafe-eval'`), workers
 * and AudioWorklets (some libraries start them from `blob:` URLs), model downloads from
 * the hub and of WebLLM's compiled libraries from GitHub, and microphone access from our own
 * origin. Inline scripts stay forbidden.
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
      connectSrc: ["'self'", 'blob:', 'data:', ...HUB_CONNECT_SRC, ...WEBLLM_LIBRARY_CONNECT_SRC, ...(options.extraConnectSrc ?? [])],
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
