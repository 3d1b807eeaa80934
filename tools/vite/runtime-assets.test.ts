import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeAssetList } from './runtime-assets.ts';

const root = join(import.meta.dirname, '../..');

function packageVersion(fileInDist: string): string {
  const packageJson = join(dirname(fileInDist), '..', 'package.json');
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

describe('runtimeAssetList', () => {
  const assets = runtimeAssetList(root);

  it('finds every runtime file the workers load, at distinct paths under runtime/', () => {
    expect(assets.map((asset) => asset.path).sort()).toEqual([
      'runtime/ort/ort-wasm-simd-threaded.asyncify.mjs',
      'runtime/ort/ort-wasm-simd-threaded.asyncify.wasm',
      'runtime/vad/ort-wasm-simd-threaded.mjs',
      'runtime/vad/ort-wasm-simd-threaded.wasm',
      'runtime/vad/silero_vad_v5.onnx',
    ]);
    for (const asset of assets) expect(existsSync(asset.source)).toBe(true);
  });

  it('takes both onnxruntime-web builds from the one version transformers.js asks for', () => {
    const transformersWants = (
      JSON.parse(readFileSync(join(root, 'node_modules/@huggingface/transformers/package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies['onnxruntime-web'];
    for (const wasm of assets.filter((asset) => asset.path.endsWith('.wasm'))) expect(packageVersion(wasm.source)).toBe(transformersWants);
  });
});
