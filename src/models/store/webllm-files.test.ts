import { describe, expect, it } from 'vitest';
import type { ModelSource } from '../../protocol/model-set.ts';
import type { ModelListing } from './listing.ts';
import { selectWebLlmFiles, webLlmStoreFiles } from './webllm-files.ts';

const hub: ModelSource = { kind: 'hub', host: 'https://huggingface.co/', pathTemplate: '{model}/resolve/{revision}/' };
const id = 'mlc-ai/Qwen2.5-0.5B-Instruct-q4f16_1-MLC';
const library = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Qwen2-0.5B-Instruct-q4f16_1_cs1k-webgpu.wasm';

/** An MLC build's repository as the hub lists it (the files WebLLM reads, and some it never does). */
const listing: ModelListing = {
  id,
  files: [
    { path: '.gitattributes', bytes: 1519 },
    { path: 'README.md', bytes: 320 },
    { path: 'mlc-chat-config.json', bytes: 1800 },
    { path: 'tensor-cache.json', bytes: 90_000 },
    { path: 'params_shard_0.bin', bytes: 68_000_000 },
    { path: 'params_shard_1.bin', bytes: 32_000_000 },
    { path: 'tokenizer.json', bytes: 7_000_000 },
    { path: 'tokenizer_config.json', bytes: 7_300 },
    { path: 'vocab.json', bytes: 2_700_000 },
  ],
};

const headWith = (length: string | null, status = 200): typeof fetch =>
  (async () => new Response(null, { status, headers: length === null ? {} : { 'content-length': length } }));

describe('a WebLLM build in the model store', () => {
  it('takes exactly the files WebLLM reads: chat config, tensor cache, tokenizer, every weight shard', () => {
    expect(selectWebLlmFiles(listing).map((file) => file.path)).toEqual([
      'mlc-chat-config.json',
      'tensor-cache.json',
      'tokenizer.json',
      'params_shard_0.bin',
      'params_shard_1.bin',
    ]);
  });

  it('says what is missing when the repository is not an MLC build', () => {
    const onnx: ModelListing = { id: 'onnx-community/Qwen2.5-0.5B-Instruct', files: [{ path: 'config.json', bytes: 700 }, { path: 'tokenizer.json', bytes: 7 }] };
    expect(() => selectWebLlmFiles(onnx)).toThrow('onnx-community/Qwen2.5-0.5B-Instruct has no mlc-chat-config.json at the model source (is it a WebLLM (MLC) build?)');
  });

  it("stores each file in WebLLM's caches under the URL WebLLM fetches it from, the library sized by a HEAD request", async () => {
    const files = await webLlmStoreFiles(hub, listing, library, 'https://app.example/', headWith('5242880'));
    const base = `https://huggingface.co/${id}/resolve/main/`;
    expect(files.map(({ path, cacheName, cacheKey, bytes }) => ({ path, cacheName, cacheKey, bytes }))).toEqual([
      { path: 'mlc-chat-config.json', cacheName: 'webllm/config', cacheKey: `${base}mlc-chat-config.json`, bytes: 1800 },
      { path: 'tensor-cache.json', cacheName: 'webllm/model', cacheKey: `${base}tensor-cache.json`, bytes: 90_000 },
      { path: 'tokenizer.json', cacheName: 'webllm/model', cacheKey: `${base}tokenizer.json`, bytes: 7_000_000 },
      { path: 'params_shard_0.bin', cacheName: 'webllm/model', cacheKey: `${base}params_shard_0.bin`, bytes: 68_000_000 },
      { path: 'params_shard_1.bin', cacheName: 'webllm/model', cacheKey: `${base}params_shard_1.bin`, bytes: 32_000_000 },
      { path: 'Qwen2-0.5B-Instruct-q4f16_1_cs1k-webgpu.wasm', cacheName: 'webllm/wasm', cacheKey: library, bytes: 5_242_880 },
    ]);
  });

  it('leaves the library to WebLLM when its size cannot be learned', async () => {
    for (const head of [headWith(null), headWith('12', 404), (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch]) {
      const files = await webLlmStoreFiles(hub, listing, library, 'https://app.example/', head);
      expect(files.map((file) => file.path)).not.toContain('Qwen2-0.5B-Instruct-q4f16_1_cs1k-webgpu.wasm');
      expect(files).toHaveLength(5);
    }
  });
});
