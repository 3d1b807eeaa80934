import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../tools/vite/precompress.ts';
import { makeDist } from '../test-support/temp-dirs.ts';
import { staticApp } from '../test-support/test-app.ts';
import { acceptsCoding } from './encoded-variant.ts';

describe('Accept-Encoding', () => {
  it('reads q-values, wildcards and refusals', () => {
    expect(acceptsCoding('gzip, deflate, br, zstd', 'br')).toBe(1);
    expect(acceptsCoding('gzip;q=0.8, br;q=0.5', 'br')).toBe(0.5);
    expect(acceptsCoding('br;q=0, *', 'br')).toBe(0);
    expect(acceptsCoding('*;q=0.3', 'gzip')).toBe(0.3);
    expect(acceptsCoding('identity', 'gzip')).toBe(0);
    expect(acceptsCoding(null, 'br')).toBe(0);
    expect(acceptsCoding('x-gzip', 'gzip')).toBe(1);
  });
});

describe('the build precompresses the app and the relay sends the coding the browser accepts', () => {
  const dist = makeDist();
  const app = staticApp({ distDir: dist });
  const wasmPath = '/assets/ort-wasm-simd-threaded.jsep-0a1b2c.wasm';
  const original = (path: string) => readFileSync(join(dist, path));

  beforeAll(async () => {
    // A real entry page is a few KB: above the threshold, so it gets its variants too.
    writeFileSync(join(dist, 'index.html'), `<!doctype html><title>voice app</title>${'<p>Hearth</p>\n'.repeat(200)}`);
    await precompressDir(dist);
  });

  it('writes .br and .gz beside files that compress, and nothing for tiny ones', async () => {
    expect(brotliDecompressSync(original('assets/vendor-777aaa.js.br')).equals(original('assets/vendor-777aaa.js'))).toBe(true);
    expect(gunzipSync(original(`${wasmPath.slice(1)}.gz`)).equals(original(wasmPath.slice(1)))).toBe(true);
    expect(() => original('assets/index-abc123.js.br')).toThrow(/ENOENT/);
  });

  it('sends brotli to a browser that accepts it, typed as the file it decodes to', async () => {
    const res = await app.request(wasmPath, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('content-type')).toBe('application/wasm');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect(body.length).toBeLessThan(original(wasmPath.slice(1)).length);
    expect(brotliDecompressSync(body).equals(original(wasmPath.slice(1)))).toBe(true);
  });

  it('sends gzip where brotli is not accepted, and the file itself where neither is', async () => {
    const gzip = await app.request('/assets/vendor-777aaa.js', { headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).equals(original('assets/vendor-777aaa.js'))).toBe(true);
    const plain = await app.request('/assets/vendor-777aaa.js', { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    expect(Buffer.from(await plain.arrayBuffer()).equals(original('assets/vendor-777aaa.js'))).toBe(true);
  });

  it('answers a byte range from the file itself, never from an encoded copy', async () => {
    const res = await app.request(wasmPath, { headers: { 'accept-encoding': 'br', range: 'bytes=0-3' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it('gives each coding its own ETag, so a revalidation never mixes them', async () => {
    const br = await app.request(wasmPath, { headers: { 'accept-encoding': 'br' } });
    const gzip = await app.request(wasmPath, { headers: { 'accept-encoding': 'gzip' } });
    expect(br.headers.get('etag')).not.toBe(gzip.headers.get('etag'));
    const again = await app.request(wasmPath, { headers: { 'accept-encoding': 'br', 'if-none-match': br.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('sends the file itself when it changed after its compressed copies were made', async () => {
    const swPath = join(dist, 'sw.js');
    writeFileSync(swPath, `${'self.addEventListener("fetch", () => {});\n'.repeat(60)}`);
    await precompressDir(dist);
    const before = await app.request('/sw.js', { headers: { 'accept-encoding': 'br' } });
    expect(before.headers.get('content-encoding')).toBe('br');
    // A redeploy that patches sw.js by hand, after the build: its old .br must not be served.
    const patched = `${readFileSync(swPath, 'utf8')}// redeployed\n`;
    writeFileSync(swPath, patched);
    utimesSync(swPath, new Date(), new Date(Date.now() + 1000));
    const after = await app.request('/sw.js', { headers: { 'accept-encoding': 'br' } });
    expect(after.headers.get('content-encoding')).toBeNull();
    expect(await after.text()).toBe(patched);
  });

  it('serves the precompressed entry page for client-side routes', async () => {
    const res = await app.request('/settings', { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString()).toContain('voice app');
  });
});
