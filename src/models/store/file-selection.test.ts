import { describe, expect, it } from 'vitest';
import { MissingModelFileError, selectStageFiles, sizesByDtype } from './file-selection.ts';
import { listingFromHubTree, listingFromManifest } from './listing.ts';

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

  it('says which file is missing instead of downloading a model that cannot load', () => {
    expect(() => selectStageFiles('asr', whisper, 'q4/q4')).toThrow(MissingModelFileError);
    expect(() => selectStageFiles('asr', whisper, 'q4/q4')).toThrow(/org\/whisper has no onnx\/encoder_model_q4.onnx/);
    expect(() => selectStageFiles('tts', whisper, 'fp32', 'zz_none')).toThrow(/no onnx\/model.onnx/);
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
