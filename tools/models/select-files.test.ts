import { describe, expect, it } from 'vitest';
import { HUB_DEFAULT_SET, HUB_PARAKEET_SET } from '../../src/models/catalogue.ts';
import { parseCli } from './args.ts';
import { neededModels, type TransformersModel } from './needed-models.ts';
import { parseOnnxPath, selectFiles, type TreeEntry } from './select-files.ts';
import { findSet } from './sets.ts';

describe('parseOnnxPath', () => {
  it('reads the graph and dtype from transformers.js file names', () => {
    expect(parseOnnxPath('onnx/model.onnx')).toEqual({ graph: 'model', dtype: 'fp32' });
    expect(parseOnnxPath('onnx/decoder_model_merged_quantized.onnx')).toEqual({ graph: 'decoder_model_merged', dtype: 'q8' });
    expect(parseOnnxPath('onnx/model_q4f16.onnx')).toEqual({ graph: 'model', dtype: 'q4f16' });
    expect(parseOnnxPath('onnx/model_q4.onnx')).toEqual({ graph: 'model', dtype: 'q4' });
    expect(parseOnnxPath('onnx/model_uint8.onnx')).toEqual({ graph: 'model', dtype: 'uint8' });
    expect(parseOnnxPath('onnx/model_fp16.onnx_data_1')).toEqual({ graph: 'model', dtype: 'fp16' });
    expect(parseOnnxPath('model.onnx')).toBeNull();
    expect(parseOnnxPath('onnx/model.onnx.txt')).toBeNull();
  });
});

describe('selectFiles', () => {
  const file = (path: string): TreeEntry => ({ type: 'file', path, size: 1 });
  it('takes configs and the wanted dtypes with their external data, and reports what is missing', () => {
    const tree = ['config.json', 'tokenizer.json', 'README.md', 'onnx/model.onnx', 'onnx/model_q4.onnx', 'onnx/model_q4.onnx_data', 'onnx/model_fp16.onnx', 'sub/config.json'].map(file);
    const { files, missing } = selectFiles(tree, new Map([['model', new Set(['q4', 'q8'] as const)]]), ['voices/af_heart.bin']);
    expect(files.map((entry) => entry.path)).toEqual(['config.json', 'tokenizer.json', 'onnx/model_q4.onnx', 'onnx/model_q4.onnx_data']);
    expect(missing).toEqual(['onnx/model_quantized.onnx (q8)', 'voices/af_heart.bin']);
  });
});

describe('neededModels', () => {
  it('covers what the app plans on wasm, on WebGPU with and without shader-f16, and with transformers.js on WebGPU', () => {
    const models = neededModels(HUB_DEFAULT_SET, { voices: ['bf_emma'] });
    const stage = (name: string): TransformersModel => models.find((model) => model.kind === 'transformers' && model.stage === name) as TransformersModel;
    const dtypes = (model: TransformersModel): Record<string, string[]> =>
      Object.fromEntries([...model.graphs].map(([graph, set]) => [graph, [...set].sort()]));
    expect(stage('asr').id).toBe(HUB_DEFAULT_SET.asr);
    expect(dtypes(stage('asr'))).toEqual({ encoder_model: ['fp32'], decoder_model_merged: ['fp32', 'q8'] });
    expect(dtypes(stage('llm'))).toEqual({ model: ['q4', 'q4f16', 'q8'] });
    expect(dtypes(stage('tts'))).toEqual({ model: ['fp32', 'q8'] });
    expect(stage('tts').extra).toEqual(['voices/af_heart.bin', 'voices/bf_emma.bin']);
    expect(models.filter((model) => model.kind === 'webllm').map((model) => model.id)).toEqual([
      'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
      'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    ]);
    expect(neededModels(HUB_DEFAULT_SET, { webllm: false }).some((model) => model.kind === 'webllm')).toBe(false);
  });

  it('adds dtypes asked for with --dtypes', () => {
    const models = neededModels(HUB_DEFAULT_SET, { extraDtypes: { asr: ['q8/q4'], llm: ['fp16'] }, webllm: false });
    const asr = models.find((model) => model.kind === 'transformers' && model.stage === 'asr') as TransformersModel;
    expect([...(asr.graphs.get('encoder_model') ?? [])].sort()).toEqual(['fp32', 'q8']);
    expect([...(asr.graphs.get('decoder_model_merged') ?? [])].sort()).toEqual(['fp32', 'q4', 'q8']);
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
  it('fetches both recognizers: Moonshine for CPUs, Parakeet by exact paths for GPUs (external weights if the repo has them)', () => {
    const models = neededModels(HUB_PARAKEET_SET, { webllm: false });
    const moonshine = models.find((model) => model.kind === 'transformers' && model.stage === 'asr');
    expect(moonshine?.id).toBe(HUB_PARAKEET_SET.asr);
    const parakeet = models.find((model) => model.kind === 'files' && model.stage === 'asr');
    expect(parakeet).toEqual({
      kind: 'files',
      stage: 'asr',
      id: 'ysdede/parakeet-tdt-0.6b-v2-onnx',
      paths: ['encoder-model.onnx', 'decoder_joint-model.int8.onnx', 'vocab.txt'],
      optionalPaths: ['encoder-model.onnx.data'],
    });
  });
});
