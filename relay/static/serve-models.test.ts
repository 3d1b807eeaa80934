import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModels } from '../models/resolve-models.ts';
import { listen, rawGet } from '../test-support/raw-http.ts';
import { makeMirror } from '../test-support/temp-dirs.ts';
import { staticApp } from '../test-support/test-app.ts';

// A secret next to the mirror: no request may ever reach it.
const mirror = makeMirror();
const secretPath = join(dirname(mirror), `secret-${Date.now()}.txt`);
writeFileSync(secretPath, 'TOP-SECRET-CONTENT');
const app = staticApp({ models: resolveModels(mirror) });

describe('the model mirror under /models/', () => {
  it('serves files with their types and revalidation headers', async () => {
    const json = await app.request('/models/org/asr/config.json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json.json()).toEqual({ model_type: 'whisper' });
    const onnx = await app.request('/models/org/asr/onnx/encoder_model.onnx');
    expect(onnx.headers.get('content-type')).toBe('application/octet-stream');
    expect(onnx.headers.get('content-length')).toBe('1000');
    expect(onnx.headers.get('accept-ranges')).toBe('bytes');
    expect(onnx.headers.get('etag')).toMatch(/^W\/"/);
    const bin = await app.request('/models/org/tts/voices/af_heart.bin');
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('lists the models of a mirror without manifest.json, so the app knows every size', async () => {
    const res = await app.request('/models/manifest.json');
    expect(res.status).toBe(200);
    // org/tts has no config.json: not a model, so not listed.
    expect(await res.json()).toEqual({
      models: [{ id: 'org/asr', files: [{ path: 'config.json', bytes: 24 }, { path: 'onnx/encoder_model.onnx', bytes: 1000 }] }],
    });
    const own = makeMirror({ 'manifest.json': '{"models":[]}' });
    const served = await staticApp({ models: resolveModels(own) }).request('/models/manifest.json');
    expect(await served.json()).toEqual({ models: [] });
  });

  it('serves byte ranges so large downloads resume', async () => {
    const res = await app.request('/models/org/asr/onnx/encoder_model.onnx', { headers: { Range: 'bytes=300-309' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 300-309/1000');
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([44, 45, 46, 47, 48, 49, 50, 51, 52, 53]);

    const tail = await app.request('/models/org/asr/onnx/encoder_model.onnx', { headers: { Range: 'bytes=-4' } });
    expect(tail.headers.get('content-range')).toBe('bytes 996-999/1000');
    expect([...new Uint8Array(await tail.arrayBuffer())]).toEqual([228, 229, 230, 231]);

    const open = await app.request('/models/org/asr/onnx/encoder_model.onnx', { headers: { Range: 'bytes=998-' } });
    expect(open.headers.get('content-length')).toBe('2');

    const beyond = await app.request('/models/org/asr/onnx/encoder_model.onnx', { headers: { Range: 'bytes=5000-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */1000');

    const stale = await app.request('/models/org/asr/onnx/encoder_model.onnx', {
      headers: { Range: 'bytes=0-9', 'If-Range': 'W/"other"' },
    });
    expect(stale.status).toBe(200);
  });

  it('follows symlinks inside the mirror (a Hugging Face cache snapshot works as is)', async () => {
    const dir = makeMirror({ 'blobs/abc': 'linked content' });
    mkdirSync(join(dir, 'snap/model'), { recursive: true });
    symlinkSync(join(dir, 'blobs/abc'), join(dir, 'snap/model/tokenizer.json'));
    const linked = staticApp({ models: resolveModels(dir) });
    const res = await linked.request('/models/snap/model/tokenizer.json');
    expect(await res.text()).toBe('linked content');
  });

  it('never serves the file when URL parsing already resolved the dot-segments', async () => {
    // `new URL` turns this into /etc/passwd: a client route of the app, answered with its page.
    const res = await app.request('/models/%2e%2e/%2e%2e/etc/passwd');
    expect(await res.text()).toContain('voice app');
  });

  const hostile = [
    '/models/..%2f..%2fetc%2fpasswd',
    '/models/org%2f..%2f..%2f..%2fetc%2fpasswd',
    '/models/..%5c..%5cetc%5cpasswd',
    '/models/%2E%2E%2F' + encodeURIComponent(secretPath.split('/').pop()!),
    '/models/..%2F' + encodeURIComponent(secretPath.split('/').pop()!),
    '/models/org/asr/config.json%00.png',
    '/models/%00',
    '/models/.git/config',
    '/models//etc/passwd',
    '/models/%252e%252e/etc/passwd',
    '/models/%E0%A4%A',
    '/models/org/asr/',
    '/models/org',
    '/models/',
  ];

  it.each(hostile)('refuses %s', async (path) => {
    const res = await app.request(path);
    expect([400, 404]).toContain(res.status);
    const text = await res.text();
    expect(text).not.toContain('TOP-SECRET');
    expect(text).not.toContain('root:');
    expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  describe('over a real socket, where the request target arrives unnormalised', () => {
    let server: Awaited<ReturnType<typeof listen>>;
    beforeAll(async () => {
      server = await listen(app);
    });
    afterAll(() => server.close());

    it.each([
      '/models/../../etc/passwd',
      '/models/org/../../' + secretPath.split('/').pop(),
      '/models/./org/asr/config.json',
      '/models/%2e%2e/%2e%2e/etc/passwd',
      '/models/..\\..\\etc\\passwd',
      '/../../../etc/passwd',
      '/assets/../../../etc/passwd',
    ])('refuses %s with 400', async (target) => {
      const res = await rawGet(server.port, target);
      expect(res.status).toBe(400);
      expect(res.text).not.toContain('TOP-SECRET');
      expect(res.text).not.toContain('root:');
    });

    it('still serves a normal file', async () => {
      const res = await rawGet(server.port, '/models/org/asr/config.json');
      expect(res.status).toBe(200);
      expect(res.text).toContain('whisper');
    });
  });

  it('answers 404 under /models/ when the app uses the hub', async () => {
    const hub = staticApp();
    const res = await hub.request('/models/org/asr/config.json');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'no_mirror' } });
  });
});
