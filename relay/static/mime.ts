import { getMimeType } from 'hono/utils/mime';

// Model and wasm files need exact types: browsers refuse `WebAssembly.instantiateStreaming`
// without `application/wasm`, and module workers without a JavaScript type.
const EXTRA: Record<string, string> = {
  wasm: 'application/wasm',
  mjs: 'text/javascript; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  // ONNX has no registered media type; octet-stream is what the hub serves too.
  onnx: 'application/octet-stream',
  onnx_data: 'application/octet-stream',
  bin: 'application/octet-stream',
  safetensors: 'application/octet-stream',
  model: 'application/octet-stream',
  txt: 'text/plain; charset=utf-8',
  wav: 'audio/wav',
};

export function contentTypeFor(filename: string): string {
  const ext = /\.([A-Za-z0-9_]+)$/.exec(filename)?.[1]?.toLowerCase();
  if (!ext) return 'application/octet-stream';
  return EXTRA[ext] ?? getMimeType(filename) ?? 'application/octet-stream';
}
