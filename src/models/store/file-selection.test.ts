import { describe, expect, it } from 'vitest';
import { MissingModelFileError, planStageFiles, selectStageFiles, sizesByDtype } from './file-selection.ts';
import { listingFromHubTree, listingFromManifest } from './listing.ts';

// The real Smart Turn repo: several versions and builds, no config; the app loads one file.
const smartTurn = listingFromHubTree('pipecat-ai/smart-turn-v3', [
  { type: 'file', path: '.gitattributes', size: 1519 },
  { type: 'file', path: 'README.md', size: 2200 },
  { type: 'file', path: 'smart-turn-v3.0.onnx', size: 8_757_193, lfs: { oid: 'a0', size: 8_757_193 } },
  { type: 'file', path: 'smart-turn-v3.1-cpu.onnx', size: 8_679_182, lfs: { oid: 'b1', size: 8_679_182 } },
  { type: 'file', path: 'smart-turn-v3.1-gpu.onnx', size: 32_400_000, lfs: { oid: 'c1', size: 32_400_000 } },
  { type: 'file', path: 'smart-turn-v3.2-cpu.onnx', size: 8_679_182, lfs: { oid: 'd2', size: 8_679_182 } },
  { type: 'file', path: 'smart-turn-v3.2-gpu.onnx', size: 32_400_000, lfs: { oid: 'e2', size: 32_400_000 } },
]);

const whisper = listingFromManifest(
  {
    models: [
      {
        id: 'org/whisper',
        files: [
          { path: 'config.json', bytes: 10 },
          { path: 'generation_config.json', bytes: 11 },
          { path: 'preprocessor_config.json', bytes: 12 },
          { path: 'tokenizer.json', bytes: 13 },
          { path: 'tokenizer_config.json', bytes: 14 },
          { path: 'README.md', bytes: 999 },
          { path: 'onnx/encoder_model.onnx', bytes: 1000, sha256: 'aa' },
          { path: 'onnx/encoder_model_quantized.onnx', bytes: 300 },
          { path: 'onnx/decoder_model_merged.onnx', bytes: 2000 },
          { path: 'onnx/decoder_model_merged_quantized.onnx', bytes: 600 },
        ],
      },
    ],
  },
  'org/whisper',
)!;

describe('selectStageFiles', () => {
  it('takes the configs the libraries read and one graph per session for the dtype', () => {
    const paths = selectStageFiles('asr', whisper, 'fp32/q8').map((file) => file.path);
    expect(paths).toEqual([
      'config.json',
      'generation_config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/encoder_model.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
    ]);
    expect(selectStageFiles('asr', whisper, 'fp32/q8').find((f) => f.path === 'onnx/encoder_model.onnx')?.sha256).toBe('aa');
  });

  it('includes external weight files and the TTS voice', () => {
    const listing = listingFromHubTree('org/tts', [
      { type: 'file', path: 'config.json', size: 5 },
      { type: 'directory', path: 'onnx', size: 0 },
      { type: 'file', path: 'onnx/model_fp16.onnx', size: 100, lfs: { oid: 'bb', size: 100 } },
      { type: 'file', path: 'onnx/model_fp16.onnx_data', size: 5000, lfs: { oid: 'cc', size: 5000 } },
      { type: 'file', path: 'onnx/model.onnx', size: 200 },
      { type: 'file', path: 'voices/af_heart.bin', size: 522240 },
    ]);
    expect(selectStageFiles('tts', listing, 'fp16', 'af_heart').map((f) => [f.path, f.bytes, f.sha256])).toEqual([
      ['config.json', 5, undefined],
      ['onnx/model_fp16.onnx', 100, 'bb'],
      ['onnx/model_fp16.onnx_data', 5000, 'cc'],
      ['voices/af_heart.bin', 522240, undefined],
    ]);
  });

  it('keeps the voices of a blended voice (a custom voice made on the device)', () => {
    const listing = listingFromHubTree('org/tts', [
      { type: 'file', path: 'config.json', size: 5 },
      { type: 'file', path: 'onnx/model.onnx', size: 200 },
      { type: 'file', path: 'voices/af_heart.bin', size: 522240 },
      { type: 'file', path: 'voices/am_michael.bin', size: 522240 },
    ]);
    const paths = selectStageFiles('tts', listing, 'fp32', 'blend-af_heart-600-am_michael-400').map((f) => f.path);
    expect(paths).toEqual(['config.json', 'onnx/model.onnx', 'voices/af_heart.bin', 'voices/am_michael.bin']);
  });

  it('says which file is missing instead of downloading a model that cannot load', () => {
    expect(() => selectStageFiles('asr', whisper, 'q4/q4')).toThrow(MissingModelFileError);
    expect(() => selectStageFiles('asr', whisper, 'q4/q4')).toThrow(/org\/whisper has no onnx\/encoder_model_q4.onnx/);
    expect(() => selectStageFiles('tts', whisper, 'fp32', 'zz_none')).toThrow(/no onnx\/model.onnx/);
  });
});

describe('planStageFiles (the rule models:download fetches by too)', () => {
  it('takes each file once over several dtypes, and lists every file it would read but the source lacks', () => {
    const { files, missing } = planStageFiles('asr', whisper, ['fp32/q8', 'q8/q8', 'q4/q4']);
    expect(files.map((f) => f.path)).toEqual([
      'config.json',
      'generation_config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/encoder_model.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
      'onnx/encoder_model_quantized.onnx',
    ]);
    expect(missing.map((m) => [m.path, m.kind, m.dtype])).toEqual([
      ['onnx/encoder_model_q4.onnx', 'graph', 'q4'],
      ['onnx/decoder_model_merged_q4.onnx', 'graph', 'q4'],
    ]);
  });

  it('reads only the configs the loaders read, and needs config.json', () => {
    const listing = listingFromHubTree('org/lm', [
      { type: 'file', path: 'tokenizer.json', size: 5 },
      { type: 'file', path: 'special_tokens_map.json', size: 5 },
      { type: 'file', path: 'onnx/model_q4.onnx', size: 50 },
    ]);
    expect(planStageFiles('llm', listing, ['q4']).files.map((f) => f.path)).toEqual(['tokenizer.json', 'onnx/model_q4.onnx']);
    expect(() => selectStageFiles('llm', listing, 'q4')).toThrow('org/lm has no config.json at the model source (is it a transformers.js model repository?)');
    expect(() => selectStageFiles('llm', listing, 'fp8')).toThrow(/unknown dtype "fp8"/);
  });
});

describe('the end-of-turn model', () => {
  it('is exactly smart-turn-v3.2-cpu.onnx, with its hash, and no configs', () => {
    expect(selectStageFiles('turn', smartTurn, 'int8')).toEqual([{ path: 'smart-turn-v3.2-cpu.onnx', bytes: 8_679_182, sha256: 'd2' }]);
    const fixture = listingFromManifest({ models: [{ id: 'fixtures/smart-turn-complete', files: [{ path: 'smart-turn-v3.2-cpu.onnx', bytes: 780 }] }] }, 'fixtures/smart-turn-complete')!;
    expect(selectStageFiles('turn', fixture, 'int8').map((f) => f.path)).toEqual(['smart-turn-v3.2-cpu.onnx']);
  });

  it('says so when the repo lacks the file or another dtype is asked for', () => {
    expect(() => selectStageFiles('turn', whisper, 'int8')).toThrow('org/whisper has no smart-turn-v3.2-cpu.onnx at the model source (the end-of-turn model must be a Smart Turn v3 repository)');
    expect(() => selectStageFiles('turn', smartTurn, 'fp32')).toThrow(/unknown dtype "fp32" for the end-of-turn model/);
  });

  it('has one size in the catalogue', () => {
    expect(sizesByDtype('turn', smartTurn)).toEqual([{ dtype: 'int8', bytes: 8_679_182 }]);
    expect(sizesByDtype('turn', whisper)).toEqual([]);
  });
});

describe('sizesByDtype', () => {
  it('lists the download size of every dtype the source offers', () => {
    const configs = 10 + 11 + 12 + 13 + 14;
    expect(sizesByDtype('asr', whisper)).toEqual([
      { dtype: 'fp32/fp32', bytes: configs + 3000 },
      { dtype: 'fp32/q8', bytes: configs + 1600 },
      { dtype: 'q8/q8', bytes: configs + 900 },
    ]);
  });
});

// A Parakeet TDT export in parakeet.js's layout (the 0.6B fp32 encoder keeps its weights in `.data`).
const parakeet = listingFromHubTree('istupakov/parakeet-tdt-0.6b-v2-onnx', [
  { type: 'file', path: 'README.md', size: 900 },
  { type: 'file', path: 'config.json', size: 90 },
  { type: 'file', path: 'encoder-model.onnx', size: 41_000_000, lfs: { oid: 'e0', size: 41_000_000 } },
  { type: 'file', path: 'encoder-model.onnx.data', size: 2_400_000_000, lfs: { oid: 'e1', size: 2_400_000_000 } },
  { type: 'file', path: 'encoder-model.int8.onnx', size: 652_000_000, lfs: { oid: 'e2', size: 652_000_000 } },
  { type: 'file', path: 'decoder_joint-model.onnx', size: 72_000_000, lfs: { oid: 'd0', size: 72_000_000 } },
  { type: 'file', path: 'decoder_joint-model.int8.onnx', size: 18_000_000, lfs: { oid: 'd1', size: 18_000_000 } },
  { type: 'file', path: 'nemo128.onnx', size: 140_000, lfs: { oid: 'n0', size: 140_000 } },
  { type: 'file', path: 'vocab.txt', size: 9_400 },
]);

describe('selectStageFiles for Parakeet TDT', () => {
  it('takes the two graphs of the dtype, their external weights where listed, and the vocabulary', () => {
    expect(selectStageFiles('asr', parakeet, 'int8/int8').map((f) => f.path)).toEqual(['encoder-model.int8.onnx', 'decoder_joint-model.int8.onnx', 'vocab.txt']);
    expect(selectStageFiles('asr', parakeet, 'fp32/int8').map((f) => f.path)).toEqual([
      'encoder-model.onnx',
      'encoder-model.onnx.data',
      'decoder_joint-model.int8.onnx',
      'vocab.txt',
    ]);
  });

  it('says which file is missing for a dtype the export lacks, and sizes only the dtypes it has', () => {
    expect(() => selectStageFiles('asr', parakeet, 'fp16/fp16')).toThrow(/has no encoder-model\.fp16\.onnx/);
    expect(sizesByDtype('asr', parakeet).map((s) => s.dtype)).toEqual(['int8/int8', 'fp32/int8', 'fp32/fp32']);
  });
});
