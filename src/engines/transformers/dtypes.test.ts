import { describe, expect, it } from 'vitest';
import { parseDtype, parseEncoderDecoderDtype } from './dtypes.ts';

describe('dtypes', () => {
  it('parses one dtype for both halves or one each', () => {
    expect(parseEncoderDecoderDtype('q8')).toEqual({ encoder_model: 'q8', decoder_model_merged: 'q8' });
    expect(parseEncoderDecoderDtype('fp32/q8')).toEqual({ encoder_model: 'fp32', decoder_model_merged: 'q8' });
  });

  it('rejects unknown dtypes with the list of known ones', () => {
    expect(() => parseDtype('int3')).toThrow(/unknown dtype "int3" \(expected one of fp32, fp16, q8/);
    expect(() => parseEncoderDecoderDtype('fp32/')).toThrow(/unknown dtype ""/);
  });
});
