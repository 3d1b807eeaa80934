import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { beforeAll, describe, expect, it } from 'vitest';
import { staticApp } from '../test-support/test-app.ts';

const app = staticApp();

describe('serving the built app', () => {
  it('serves index.html at / and client-side routes, without caching it', async () => {
    for (const path of ['/', '/settings', '/a/b/c']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('voice app');
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves the agent dashboard entry for /agent and everything under it', async () => {
    for (const path of ['/agent', '/agent/', '/agent/queue', '/agent/conversations/123']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('agent dashboard');
    }
    expect(await (await app.request('/agentx')).text()).toContain('voice app');
  });

  it('serves hashed assets as immutable with the right types', async () => {
    const js = await app.request('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const mjs = await app.request('/assets/worker-def456.mjs');
    expect(mjs.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const wasm = await app.request('/assets/ort-wasm-simd-threaded.jsep-0a1b2c.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer()).slice(0, 4)).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it('revalidates sw.js and the manifest, and types the manifest', async () => {
    const sw = await app.request('/sw.js');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const manifest = await app.request('/manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
  });

  it('compresses scripts for clients that accept gzip, and leaves wasm as it is', async () => {
    const gzip = { headers: { 'accept-encoding': 'gzip' } };
    const js = await app.request('/assets/vendor-777aaa.js', gzip);
    expect(js.headers.get('content-encoding')).toBe('gzip');
    const plain = await app.request('/assets/vendor-777aaa.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const unzipped = new Response(js.body!.pipeThrough(new DecompressionStream('gzip')));
    expect(await unzipped.text()).toBe(await plain.text());
    const wasm = await app.request('/assets/ort-wasm-simd-threaded.jsep-0a1b2c.wasm', gzip);
    expect(wasm.headers.get('content-encoding')).toBeNull();
  });

  it('answers a missing file with 404 JSON instead of the page', async () => {
    const res = await app.request('/assets/missing-000.js');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers HEAD with headers only', async () => {
    const res = await app.request('/assets/index-abc123.js', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('18');
    expect(await res.text()).toBe('');
  });

  it('answers conditional requests with 304', async () => {
    const first = await app.request('/');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await app.request('/', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    const since = await app.request('/', { headers: { 'If-Modified-Since': first.headers.get('last-modified')! } });
    expect(since.status).toBe(304);
  });

  it('says the app is not built when dist/ is missing', async () => {
    const bare = staticApp({ distDir: '/nonexistent-dist-folder' });
    const res = await bare.request('/');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'app_not_built' } });
  });
});

describe('headers on every response', () => {
  const paths: [string, RequestInit?][] = [
    ['/'],
    ['/agent/'],
    ['/assets/index-abc123.js'],
    ['/assets/missing.js'],
    ['/models/anything.onnx'],
    ['/api/v1/health'],
    ['/api/v1/client-config'],
    ['/api/v1/nope'],
    ['/', { method: 'POST' }],
    ['/models/%2e%2e%2fsecret'],
  ];

  it.each(paths)('%s is cross-origin isolated and carries secure headers', async (path, init) => {
    const res = await app.request(path, init);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' blob:/);
    expect(csp).toMatch(/worker-src 'self' blob:/);
    expect(csp).toContain(
      "connect-src 'self' blob: data: https://huggingface.co https://*.huggingface.co https://*.hf.co https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/",
    );
    expect(csp).not.toContain("'unsafe-eval'");
    expect(res.headers.get('permissions-policy')).toContain('microphone=(self)');
  });

  it('adds configured connect-src sources', async () => {
    const custom = staticApp({ extraConnectSrc: ['https://models.example.com'] });
    const csp = (await custom.request('/')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain('/web-llm-models/ https://models.example.com');
  });
});

/** The `connect-src` sources of a CSP header. */
function connectSources(csp: string): string[] {
  const directive = csp.split(';').map((part) => part.trim()).find((part) => part.startsWith('connect-src '));
  return directive?.split(/\s+/).slice(1) ?? [];
}

/**
 * Whether an https URL matches one of the CSP host sources (CSP3 "does url match expression":
 * `*.` matches any number of subdomain labels, a path ending in `/` is a prefix, another path
 * must match exactly). Only what our header uses: https sources, no ports, no keywords.
 */
function allowedBy(sources: string[], url: string): boolean {
  const target = new URL(url);
  return sources.some((source) => {
    const match = /^https:\/\/([^/]+)(\/.*)?$/.exec(source);
    if (!match || target.protocol !== 'https:') return false;
    const [, host = '', path = ''] = match;
    const hostOk = host.startsWith('*.') ? target.hostname.endsWith(host.slice(1)) : target.hostname === host;
    if (!hostOk) return false;
    if (path === '' || path === '/') return true;
    return path.endsWith('/') ? target.pathname.startsWith(path) : target.pathname === path;
  });
}

describe('what WebLLM downloads is allowed by connect-src, and nothing broader', () => {
  let sources: string[] = [];
  beforeAll(async () => {
    sources = connectSources((await app.request('/')).headers.get('content-security-policy') ?? '');
  });

  it('allows every prebuilt compiled library (model_lib) and every weights repo (model)', () => {
    expect(prebuiltAppConfig.model_list.length).toBeGreaterThan(10);
    for (const record of prebuiltAppConfig.model_list) {
      expect(allowedBy(sources, record.model_lib), record.model_lib).toBe(true);
      // WebLLM adds `resolve/main/<file>` to the weights URL, and reads `raw/main/<file>` for LFS pointers.
      expect(allowedBy(sources, new URL('resolve/main/ndarray-cache.json', `${record.model}/`).href), record.model).toBe(true);
      expect(allowedBy(sources, new URL('raw/main/params_shard_0.bin', `${record.model}/`).href), record.model).toBe(true);
    }
  });

  it('allows the CDN hosts the hub redirects large files to', () => {
    for (const url of [
      'https://cas-bridge.xethub.hf.co/xet-bridge-us/abc/def?X-Amz-Signature=1',
      'https://cdn-lfs.hf.co/repos/ab/cd/ef',
      'https://cdn-lfs-us-1.hf.co/repos/ab/cd/ef',
      'https://cdn-lfs.huggingface.co/repos/ab/cd/ef',
    ]) {
      expect(allowedBy(sources, url), url).toBe(true);
    }
  });

  it('does not open GitHub beyond the library folder', () => {
    for (const url of [
      'https://raw.githubusercontent.com/someone/else/main/payload.js',
      'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/other-branch/lib.wasm',
      'https://github.com/mlc-ai/binary-mlc-llm-libs/raw/main/web-llm-models/v0_2_86/base/x.wasm',
      'https://objects.githubusercontent.com/x',
      'http://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/x.wasm',
    ]) {
      expect(allowedBy(sources, url), url).toBe(false);
    }
  });
});
