import { describe, expect, it } from 'vitest';
import { HUB_DEFAULT_SET, HUB_PARAKEET_SET } from '../../src/models/catalogue.ts';
import { parseCli } from './args.ts';
import { neededModels, type StageNeededModel } from './needed-models.ts';
import { describeMissing, selectFiles, type TreeEntry } from './select-files.ts';
import { findSet } from './sets.ts';

const file = (path: string): TreeEntry => ({ type: 'file', path, size: 1 });

describe('selectFiles', () => {
  it('takes the configs the loaders read and the wanted dtypes with their external data, and reports what is missing', () => {
    const tree = [
      'config.json',
      'tokenizer.json',
      'special_tokens_map.json',
      'README.md',
      'onnx/model.onnx',
      'onnx/model_q4.onnx',
      'onnx/model_q4.onnx_data',
      'onnx/model_fp16.onnx',
      'sub/config.json',
      'voices/bf_emma.bin',
    ].map(file);
    const { files, missing } = selectFiles(tree, { stage: 'tts', id: 'org/tts', dtypes: ['q4', 'q8'], voices: ['af_heart', 'bf_emma'] });
    expect(files.map((entry) => entry.path)).toEqual(['config.json', 'tokenizer.json', 'onnx/model_q4.onnx', 'onnx/model_q4.onnx_data', 'voices/bf_emma.bin']);
    expect(missing.map(describeMissing)).toEqual(['onnx/model_quantized.onnx (q8)', 'voices/af_heart.bin']);
    expect(missing.map((entry) => entry.kind)).toEqual(['graph', 'voice']);
  });

  it('keeps the tree entries, with their git ids, and says when a repo is not a transformers.js one', () => {
    const tree: TreeEntry[] = [
      { type: 'file', path: 'onnx/model.onnx', size: 9, lfs: { oid: 'ab', size: 9 } },
      { type: 'file', path: 'tokenizer.json', size: 3, oid: 'git1' },
    ];
    const { files, missing } = selectFiles(tree, { stage: 'llm', id: 'org/lm', dtypes: ['fp32'], voices: [] });
    expect(files).toEqual([tree[1], tree[0]]);
    expect(missing).toEqual([expect.objectContaining({ path: 'config.json', kind: 'config' })]);
  });

  it('takes exactly the files of a fixed layout: Smart Turn and Parakeet', () => {
    const turn = ['smart-turn-v3.1-cpu.onnx', 'smart-turn-v3.2-cpu.onnx', 'smart-turn-v3.2-gpu.onnx', 'README.md'].map(file);
    expect(selectFiles(turn, { stage: 'turn', id: 'org/turn', dtypes: ['int8'], voices: [] }).files.map((entry) => entry.path)).toEqual(['smart-turn-v3.2-cpu.onnx']);
    expect(selectFiles([file('config.json')], { stage: 'turn', id: 'org/turn', dtypes: ['int8'], voices: [] }).missing).toEqual([
      expect.objectContaining({ path: 'smart-turn-v3.2-cpu.onnx', kind: 'file' }),
    ]);
    const parakeet = ['encoder-model.onnx', 'encoder-model.onnx.data', 'encoder-model.int8.onnx', 'decoder_joint-model.int8.onnx', 'vocab.txt', 'nemo128.onnx'].map(file);
    const selection = selectFiles(parakeet, { stage: 'asr', id: 'ysdede/parakeet-tdt-0.6b-v2-onnx', dtypes: ['fp32/int8', 'int8/int8'], voices: [] });
    expect(selection.files.map((entry) => entry.path)).toEqual([
      'encoder-model.onnx',
      'encoder-model.onnx.data',
      'decoder_joint-model.int8.onnx',
      'vocab.txt',
      'encoder-model.int8.onnx',
    ]);
    expect(selection.missing).toEqual([]);
  });
});

describe('neededModels', () => {
  const stage = (models: ReturnType<typeof neededModels>, name: string): StageNeededModel =>
    models.find((model) => model.kind === 'stage' && model.stage === name) as StageNeededModel;

  it('covers what the app plans on wasm, on WebGPU with and without shader-f16, and with transformers.js on WebGPU', () => {
    const models = neededModels(HUB_DEFAULT_SET, { voices: ['bf_emma'] });
    expect(stage(models, 'asr').id).toBe(HUB_DEFAULT_SET.asr);
    expect([...stage(models, 'asr').dtypes].sort()).toEqual(['fp32/fp32', 'fp32/q8']);
    expect([...stage(models, 'llm').dtypes].sort()).toEqual(['q4', 'q4f16', 'q8']);
    expect([...stage(models, 'tts').dtypes].sort()).toEqual(['fp32', 'q8']);
    expect(stage(models, 'tts').voices).toEqual(['af_heart', 'bf_emma']);
    expect(stage(models, 'turn')).toEqual({ kind: 'stage', stage: 'turn', id: HUB_DEFAULT_SET.turn, dtypes: ['int8'], voices: [] });
    expect(models.filter((model) => model.kind === 'webllm').map((model) => model.id)).toEqual([
      'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
      'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    ]);
    expect(neededModels(HUB_DEFAULT_SET, { webllm: false }).some((model) => model.kind === 'webllm')).toBe(false);
  });

  it('adds dtypes asked for with --dtypes', () => {
    const models = neededModels(HUB_DEFAULT_SET, { extraDtypes: { asr: ['q8/q4'], llm: ['fp16'] }, webllm: false });
    expect([...stage(models, 'asr').dtypes].sort()).toEqual(['fp32/fp32', 'fp32/q8', 'q8/q4']);
    expect(stage(models, 'llm').dtypes).toContain('fp16');
  });
});

describe('command line', () => {
  it('parses a set, a folder, voices and dtypes', () => {
    const options = parseCli(['default', '--dir', '/tmp/m', '--voices', 'bf_emma, am_adam', '--dtypes', 'llm=fp16,asr=fp32/q4', '--no-webllm']);
    expect(options).toEqual({
      set: HUB_DEFAULT_SET,
      dir: '/tmp/m',
      voices: ['bf_emma', 'am_adam'],
      extraDtypes: { llm: ['fp16'], asr: ['fp32/q4'] },
      webllm: false,
    });
    expect(parseCli(['default'])?.dir).toBe('./models');
    expect(parseCli(['--help'])).toBeNull();
  });

  it('names the known sets when the set is unknown, and rejects bad options', () => {
    expect(() => findSet('huge')).toThrow(/unknown model set "huge"; known sets: default/);
    expect(() => parseCli(['nope'])).toThrow(/known sets: default/);
    expect(() => parseCli([])).toThrow(/one model set name/);
    expect(() => parseCli(['default', '--voices', 'Heart'])).toThrow(/not a voice id/);
    expect(() => parseCli(['default', '--dtypes', 'llm=fp8'])).toThrow(/unknown dtype "fp8"/);
    expect(() => parseCli(['default', '--dtypes', 'vad=fp32'])).toThrow(/<stage>=<dtype>/);
  });
});

describe('neededModels with a GPU recognizer', () => {
  it('fetches both recognizers: Moonshine for CPUs, Parakeet in its own layout for GPUs (external weights if the repo has them)', () => {
    const models = neededModels(HUB_PARAKEET_SET, { webllm: false });
    const asr = models.filter((model): model is StageNeededModel => model.kind === 'stage' && model.stage === 'asr');
    expect(asr.map((model) => model.id)).toEqual([HUB_PARAKEET_SET.asr, 'ysdede/parakeet-tdt-0.6b-v2-onnx']);
    const parakeet = asr[1] as StageNeededModel;
    const tree = ['encoder-model.onnx', 'encoder-model.onnx.data', 'encoder-model.int8.onnx', 'decoder_joint-model.int8.onnx', 'decoder_joint-model.onnx', 'vocab.txt'].map(file);
    expect(selectFiles(tree, parakeet).files.map((entry) => entry.path)).toEqual(['encoder-model.onnx', 'encoder-model.onnx.data', 'decoder_joint-model.int8.onnx', 'vocab.txt']);
  });
});
