import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveModels } from '../../relay/models/resolve-models.ts';
import type { ModelSet } from '../../src/protocol/model-set.ts';
import type { Manifest } from '../fixtures/generate.ts';
import { FakeHub, type FakeRepos } from './fake-hub.ts';
import { HubUnreachableError } from './hub.ts';
import { downloadModelSet, type MirrorOptions } from './mirror.ts';
import { Progress } from './progress.ts';

// An LLM WebLLM has a build of (src/engines/llm/webllm-models.ts): GPUs get the MLC builds.
const LM = 'onnx-community/Qwen2.5-0.5B-Instruct';

const SET: ModelSet = {
  id: 'test-set',
  label: 'Test set',
  asr: 'test-org/whisper',
  llm: LM,
  tts: 'test-org/kokoro',
  voice: 'af_heart',
  turn: 'test-org/smart-turn',
};
const MLC_F16 = 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC';
const MLC_F32 = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const LIB_F16 = 'Qwen2-0.5B-Instruct-q4f16_1_cs1k-webgpu.wasm';
const LIB_F32 = 'Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm';

/** Distinct bytes per file, so a mix-up shows in the hashes. */
function bytes(seed: string, length = 64): Buffer {
  const out = Buffer.alloc(length);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < length; i++) {
    if (i % 32 === 0 && i > 0) block = createHash('sha256').update(block).digest();
    out[i] = block[i % 32] ?? 0;
  }
  return out;
}

function repo(id: string, paths: Record<string, number>): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(paths).map(([path, length]) => [path, bytes(`${id}/${path}`, length)]));
}

const REPOS: FakeRepos = {
  'test-org/whisper': repo('test-org/whisper', {
    'config.json': 200,
    'generation_config.json': 100,
    'preprocessor_config.json': 100,
    'tokenizer.json': 500,
    'tokenizer_config.json': 100,
    'README.md': 50,
    '.gitattributes': 50,
    'onnx/encoder_model.onnx': 4000,
    'onnx/encoder_model_quantized.onnx': 1000,
    'onnx/encoder_model_fp16.onnx': 2000,
    'onnx/decoder_model_merged.onnx': 4000,
    'onnx/decoder_model_merged_quantized.onnx': 1000,
    'onnx/decoder_model.onnx': 4000,
  }),
  [LM]: repo(LM, {
    'config.json': 200,
    'generation_config.json': 100,
    'tokenizer.json': 500,
    'tokenizer_config.json': 100,
    // Root files the loaders never read (the app's rule fetches the five configs, not every .json).
    'special_tokens_map.json': 80,
    'quantize_config.json': 40,
    'onnx/model.onnx': 8000,
    'onnx/model_fp16.onnx': 4000,
    'onnx/model_quantized.onnx': 300_000,
    'onnx/model_q4.onnx': 2000,
    'onnx/model_q4f16.onnx': 100,
    'onnx/model_q4f16.onnx_data': 1500,
  }),
  'test-org/kokoro': repo('test-org/kokoro', {
    'config.json': 200,
    'tokenizer.json': 500,
    'tokenizer_config.json': 100,
    'onnx/model.onnx': 3000,
    'onnx/model_quantized.onnx': 1000,
    'onnx/model_fp16.onnx': 1500,
    'voices/af_heart.bin': 2048,
    'voices/bf_emma.bin': 2048,
    'voices/am_adam.bin': 2048,
  }),
  // Smart Turn's layout: graphs at the root, no config; only the int8 CPU build is fetched.
  'test-org/smart-turn': repo('test-org/smart-turn', {
    'README.md': 40,
    '.gitattributes': 50,
    'smart-turn-v3.2-cpu.onnx': 3000,
    'smart-turn-v3.2-gpu.onnx': 9000,
    'smart-turn-v3.1-cpu.onnx': 3000,
  }),
  [`mlc-ai/${MLC_F16}`]: repo(MLC_F16, { 'mlc-chat-config.json': 300, 'ndarray-cache.json': 300, 'params_shard_0.bin': 5000, 'tokenizer.json': 500, 'README.md': 10 }),
  [`mlc-ai/${MLC_F32}`]: repo(MLC_F32, { 'mlc-chat-config.json': 300, 'ndarray-cache.json': 300, 'params_shard_0.bin': 6000, 'tokenizer.json': 500, 'README.md': 10 }),
};
const LIBS: Record<string, Buffer> = { [LIB_F16]: bytes(LIB_F16, 700), [LIB_F32]: bytes(LIB_F32, 800) };

/** Every file under `dir`, as sorted relative paths. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('models:download against a fake hub', () => {
  let hub: FakeHub;
  let dir: string;
  let log: string[];

  beforeEach(async () => {
    hub = await new FakeHub(REPOS, LIBS).start();
    dir = mkdtempSync(join(tmpdir(), 'hearth-models-'));
    log = [];
  });
  afterEach(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const options = (overrides: Partial<MirrorOptions> = {}): MirrorOptions => ({
    set: SET,
    dir,
    endpoint: hub.url,
    voices: ['bf_emma'],
    webllmLibUrl: (record) => `${hub.url}/libs/${record.model_lib.split('/').pop()}`,
    retry: { attempts: 3, backoffMs: 5 },
    progress: new Progress({ isTTY: false, write: (text: string) => log.push(text) }),
    ...overrides,
  });

  it('fetches what the app loads, in the layout the relay serves, with manifest.json and model-set.json', async () => {
    const result = await downloadModelSet(options({ token: 'hf_secret' }));

    expect(listFiles(dir)).toEqual([
      'manifest.json',
      `mlc-ai/${MLC_F16}/${LIB_F16}`,
      ...['mlc-chat-config.json', 'ndarray-cache.json', 'params_shard_0.bin', 'tokenizer.json'].map((path) => `mlc-ai/${MLC_F16}/resolve/main/${path}`),
      `mlc-ai/${MLC_F32}/${LIB_F32}`,
      ...['mlc-chat-config.json', 'ndarray-cache.json', 'params_shard_0.bin', 'tokenizer.json'].map((path) => `mlc-ai/${MLC_F32}/resolve/main/${path}`),
      'model-set.json',
      `${LM}/config.json`,
      `${LM}/generation_config.json`,
      `${LM}/onnx/model_q4.onnx`,
      `${LM}/onnx/model_q4f16.onnx`,
      `${LM}/onnx/model_q4f16.onnx_data`,
      `${LM}/onnx/model_quantized.onnx`,
      `${LM}/tokenizer.json`,
      `${LM}/tokenizer_config.json`,
      'test-org/kokoro/config.json',
      'test-org/kokoro/onnx/model.onnx',
      'test-org/kokoro/onnx/model_quantized.onnx',
      'test-org/kokoro/tokenizer.json',
      'test-org/kokoro/tokenizer_config.json',
      'test-org/kokoro/voices/af_heart.bin',
      'test-org/kokoro/voices/bf_emma.bin',
      'test-org/smart-turn/smart-turn-v3.2-cpu.onnx',
      'test-org/whisper/config.json',
      'test-org/whisper/generation_config.json',
      'test-org/whisper/onnx/decoder_model_merged.onnx',
      'test-org/whisper/onnx/decoder_model_merged_quantized.onnx',
      'test-org/whisper/onnx/encoder_model.onnx',
      'test-org/whisper/preprocessor_config.json',
      'test-org/whisper/tokenizer.json',
      'test-org/whisper/tokenizer_config.json',
    ]);

    // Every file is byte-for-byte the hub's, and the manifest says so in the fixtures' format.
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest).toEqual(result.manifest);
    expect(manifest.generator).toBe('tools/models/download.ts');
    expect(manifest.models.map((model) => model.id)).toEqual(['test-org/whisper', LM, 'test-org/kokoro', 'test-org/smart-turn', `mlc-ai/${MLC_F16}`, `mlc-ai/${MLC_F32}`]);
    expect(manifest.models.find((model) => model.id === 'test-org/smart-turn')?.loader).toBe('turn (onnxruntime in the VAD worker), smart-turn-v3.2-cpu.onnx');
    for (const model of manifest.models) {
      for (const file of model.files) {
        const onDisk = readFileSync(join(dir, model.id, file.path));
        const source = model.id.startsWith('mlc-ai/')
          ? file.path.startsWith('resolve/main/') ? REPOS[model.id]?.[file.path.slice('resolve/main/'.length)] : LIBS[file.path]
          : REPOS[model.id]?.[file.path];
        expect(source, `${model.id}/${file.path}`).toBeDefined();
        expect(onDisk.equals(source as Buffer)).toBe(true);
        expect(file).toEqual({ path: file.path, bytes: onDisk.length, sha256: sha256(onDisk) });
      }
    }

    // The relay takes the folder as a mirror and the set from its model-set.json.
    expect(JSON.parse(readFileSync(join(dir, 'model-set.json'), 'utf8'))).toEqual(SET);
    const config = resolveModels(dir);
    expect(config.mirrorDir).toBe(dir);
    expect(config.clientConfig.modelSet).toEqual(SET);

    // The token goes to the hub, never to the library host.
    expect(hub.downloads(`${LM}/config.json`)[0]?.authorization).toBe('Bearer hf_secret');
    expect(hub.downloads(`libs/${LIB_F16}`)[0]?.authorization).toBeUndefined();
    expect(log.join('')).toMatch(/\[\d+\/34\] onnx-community\/Qwen2\.5-0\.5B-Instruct\/onnx\/model_quantized\.onnx {2}0\.3 MB {2}done/);

    // A second run finds everything in place and downloads nothing.
    const before = hub.requests.length;
    const again = await downloadModelSet(options());
    expect(again.skippedFiles).toBe(34);
    expect(again.fetchedBytes).toBe(0);
    expect(hub.requests.length).toBe(before);
  });

  it('resumes a download cut off mid-body with a Range request', async () => {
    const key = `${LM}/onnx/model_quantized.onnx`;
    hub.cutOnce.add(key);
    await downloadModelSet(options({ webllm: false }));

    const tries = hub.downloads(key);
    expect(tries).toHaveLength(2);
    expect(tries[0]?.range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(tries[1]?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThan(300_000);
    expect(readFileSync(join(dir, key)).equals(REPOS[LM]?.['onnx/model_quantized.onnx'] as Buffer)).toBe(true);
    expect(listFiles(dir).filter((path) => path.endsWith('.part'))).toEqual([]);
    expect(log.join('')).toMatch(/model_quantized\.onnx: .*trying again/);
  });

  it('starts the file over when the server ignores Range and answers 200', async () => {
    const key = `${LM}/onnx/model_quantized.onnx`;
    hub.cutOnce.add(key);
    hub.ignoreRange = true;
    await downloadModelSet(options({ webllm: false }));
    expect(hub.downloads(key)[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(readFileSync(join(dir, key)).equals(REPOS[LM]?.['onnx/model_quantized.onnx'] as Buffer)).toBe(true);
  });

  it('fetches a corrupt download again, and a corrupt file left on disk', async () => {
    const key = 'test-org/kokoro/voices/af_heart.bin';
    const good = REPOS['test-org/kokoro']?.['voices/af_heart.bin'] as Buffer;
    hub.corrupt.set(key, 1);
    await downloadModelSet(options({ webllm: false }));
    expect(hub.downloads(key)).toHaveLength(2);
    expect(readFileSync(join(dir, key)).equals(good)).toBe(true);
    expect(log.join('')).toMatch(/af_heart\.bin: .*corrupt \(sha256 [0-9a-f]{64}, expected/);

    // Same size, one byte off: only the hash can tell, and the next run replaces the file.
    const damaged = Buffer.from(good);
    damaged[0] = (damaged[0] ?? 0) ^ 1;
    writeFileSync(join(dir, key), damaged);
    await downloadModelSet(options({ webllm: false }));
    expect(hub.downloads(key)).toHaveLength(3);
    expect(readFileSync(join(dir, key)).equals(good)).toBe(true);
  });

  it('reports a file that stays corrupt, and leaves no final file and no manifest', async () => {
    const key = 'test-org/whisper/config.json';
    hub.corrupt.set(key, 99);
    await expect(downloadModelSet(options({ webllm: false }))).rejects.toThrow(/config\.json: the download is corrupt \(git id [0-9a-f]{40}, expected/);
    expect(hub.downloads(key)).toHaveLength(3);
    expect(existsSync(join(dir, key))).toBe(false);
    expect(existsSync(join(dir, `${key}.part`))).toBe(false);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
    expect(existsSync(join(dir, 'model-set.json'))).toBe(false);
  });

  it('says the hub cannot be reached, and that the command needs the internet', async () => {
    const endpoint = hub.url;
    const closed = options({ endpoint });
    await hub.close();
    const failure = downloadModelSet(closed);
    await expect(failure).rejects.toBeInstanceOf(HubUnreachableError);
    await expect(failure).rejects.toThrow(
      new RegExp(`^cannot reach ${endpoint}: .*ECONNREFUSED.*This command needs the internet; copy the folder to the air-gapped machine afterwards\\.$`),
    );
  });

  it('refuses a turn model repo without the file the app loads, before fetching anything', async () => {
    const before = hub.requests.length;
    await expect(downloadModelSet(options({ set: { ...SET, turn: LM }, webllm: false }))).rejects.toThrow(
      `${LM} has no smart-turn-v3.2-cpu.onnx: not the end-of-turn model the app loads (Smart Turn v3)`,
    );
    expect(hub.requests.length).toBe(before);
  });

  it('names the voices a model has when a requested one is missing', async () => {
    await expect(downloadModelSet(options({ voices: ['zz_nobody'], webllm: false }))).rejects.toThrow(
      /test-org\/kokoro has no voices\/zz_nobody\.bin; its voices: af_heart, bf_emma, am_adam/,
    );
  });
});
