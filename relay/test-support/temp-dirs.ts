import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

function writeTree(root: string, files: Record<string, string | Uint8Array>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A `dist/` as Vite builds it: two entries, hashed assets, service worker, manifest, wasm. */
export function makeDist(): string {
  return writeTree(mkdtempSync(join(tmpdir(), 'relay-dist-')), {
    'index.html': '<!doctype html><title>voice app</title>',
    'agent/index.html': '<!doctype html><title>agent dashboard</title>',
    'assets/index-abc123.js': 'console.log("app")',
    'assets/worker-def456.mjs': 'self.onmessage = () => {}',
    // Above the compression threshold, like every real bundle.
    'assets/vendor-777aaa.js': 'export const answer = 42;\n'.repeat(200),
    'assets/ort-wasm-simd-threaded.jsep-0a1b2c.wasm': new Uint8Array(4096).map((_, i) => [0, 97, 115, 109, 1, 0, 0, 0][i] ?? i % 7),
    'sw.js': 'self.addEventListener("fetch", () => {})',
    'manifest.webmanifest': '{"name":"Voice"}',
    'icons/icon-192.png': new Uint8Array([137, 80, 78, 71]),
  });
}

/** A mirror laid out like the hub, with bytes 0..255 repeated so ranges are checkable. */
export function makeMirror(extra: Record<string, string | Uint8Array> = {}): string {
  const weights = new Uint8Array(1000).map((_, i) => i % 256);
  return writeTree(mkdtempSync(join(tmpdir(), 'relay-models-')), {
    'org/asr/config.json': '{"model_type":"whisper"}',
    'org/asr/onnx/encoder_model.onnx': weights,
    'org/tts/voices/af_heart.bin': new Uint8Array(16),
    ...extra,
  });
}
