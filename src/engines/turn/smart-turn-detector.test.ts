// The detector on the generated Smart Turn stand-ins (tools/fixtures/smart-turn.ts), in
// onnxruntime-web's wasm build (what the VAD worker runs) and in onnxruntime-node.
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web/wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMART_TURN_VARIANTS } from '../../../tools/fixtures/catalogue.ts';
import { encodeModel, GraphBuilder, i64 } from '../../../tools/fixtures/onnx-builder.ts';
import { buildSmartTurn } from '../../../tools/fixtures/smart-turn.ts';
import { speak16k } from '../../../tools/fixtures/test-speech.ts';
import { SmartTurnDetector, type OrtLike } from './smart-turn-detector.ts';
import { smartTurnFeatures } from './smart-turn-features.ts';

const model = (id: string): Uint8Array => {
  const variant = SMART_TURN_VARIANTS.find((v) => v.id === id);
  if (!variant) throw new Error(`no fixture ${id}`);
  return buildSmartTurn(variant).files[0]!.bytes;
};
const COMPLETE = model('fixtures/smart-turn-complete');
const INCOMPLETE = model('fixtures/smart-turn-incomplete');

const RUNTIMES: [string, OrtLike][] = [
  ['onnxruntime-web (wasm)', ortWeb],
  ['onnxruntime-node', ortNode],
];

let speech: Float32Array;
beforeAll(() => {
  ortWeb.env.wasm.numThreads = 1;
  speech = speak16k('Could you tell me the way to the station?');
});

/** What the stand-in computes, from our features. */
function expected(audio: Float32Array, weight: number, bias: number): number {
  const features = smartTurnFeatures(audio);
  let max = -Infinity;
  let sum = 0;
  for (const x of features) {
    max = Math.max(max, x);
    sum += x;
  }
  return 1 / (1 + Math.exp(-(weight * (max - sum / features.length) + bias)));
}

describe.each(RUNTIMES)('SmartTurnDetector on %s', (_name, ort) => {
  it('says a spoken turn is complete with the "complete" model and not with the "incomplete" one', async () => {
    const complete = await SmartTurnDetector.create(ort, COMPLETE);
    const incomplete = await SmartTurnDetector.create(ort, new Uint8Array(INCOMPLETE).buffer);
    const yes = await complete.predict(speech);
    const no = await incomplete.predict(speech);
    expect(yes.complete).toBe(true);
    expect(yes.probability).toBeGreaterThan(0.9);
    expect(no.complete).toBe(false);
    expect(no.probability).toBeLessThan(0.1);
    // The probability is computed from the features, not a constant.
    expect(yes.probability).toBeCloseTo(expected(speech, 4, -2), 5);
    expect(no.probability).toBeCloseTo(expected(speech, -4, -1), 5);
    const silence = await complete.predict(new Float32Array(16_000));
    expect(silence).toMatchObject({ complete: false });
    expect(silence.probability).toBeCloseTo(1 / (1 + Math.exp(2)), 5);
    expect((await incomplete.predict(new Float32Array(16_000))).complete).toBe(false);
    await complete.release();
    await incomplete.release();
  });

  it('applies the threshold, runs calls one after another, and refuses calls after release', async () => {
    const strict = await SmartTurnDetector.create(ort, COMPLETE, { threshold: 0.999 });
    const verdicts = await Promise.all([strict.predict(speech), strict.predict(speech), strict.predict(new Float32Array(0))]);
    expect(verdicts.map((v) => v.complete)).toEqual([false, false, false]);
    expect(verdicts[0].probability).toBeGreaterThan(0.9);
    const pending = strict.predict(speech);
    await strict.release();
    await expect(pending).resolves.toMatchObject({ complete: false });
    await expect(strict.predict(speech)).rejects.toThrow(/after release/);
    await expect(SmartTurnDetector.create(ort, COMPLETE, { threshold: 1 })).rejects.toThrow(/threshold/);
  });

  it('refuses a graph without Smart Turn’s input and output, saying what it has', async () => {
    const other = new GraphBuilder('other');
    const x = other.input('audio', 'float32', ['batch', 16000]);
    other.output('probability', other.op('Identity', [x]), 'float32', ['batch', 16000]);
    await expect(SmartTurnDetector.create(ort, encodeModel(other, 'not smart turn'))).rejects.toThrow(
      'Not a Smart Turn v3 model: it needs input "input_features" and output "logits", this graph has inputs [audio], outputs [probability].',
    );

    const whisperShaped = new GraphBuilder('whisper_shaped');
    const features = whisperShaped.input('input_features', 'float32', ['batch', 80, 3000]);
    const pooled = whisperShaped.op('ReduceMean', [features], { axes: { ints: [2] }, keepdims: { int: 0 } });
    whisperShaped.output('logits', whisperShaped.op('ReduceMean', [pooled], { axes: { ints: [1] }, keepdims: { int: 1 } }), 'float32', ['batch', 1]);
    await expect(SmartTurnDetector.create(ort, encodeModel(whisperShaped, '30 s input'))).rejects.toThrow(
      /"input_features" must be float32 \[batch, 80, 800\], this graph's is float32 \[batch, 80, 3000\]/,
    );
    await expect(SmartTurnDetector.create(ort, new Uint8Array(0))).rejects.toThrow(/empty/);

    // Symbolic sizes are fine (an export may leave the frame count dynamic).
    const dynamic = new GraphBuilder('dynamic_frames');
    const anyFrames = dynamic.input('input_features', 'float32', ['batch', 80, 'frames']);
    const mean = dynamic.op('ReduceMean', [anyFrames], { axes: { ints: [1, 2] }, keepdims: { int: 0 } });
    dynamic.output('logits', dynamic.op('Reshape', [dynamic.op('Sigmoid', [mean]), dynamic.constant(i64([-1, 1]))]), 'float32', ['batch', 1]);
    const detector = await SmartTurnDetector.create(ort, encodeModel(dynamic, 'dynamic frames'));
    expect((await detector.predict(speech)).probability).toBeGreaterThan(0);
    await detector.release();
  });

  it('answers for 8 s of audio (measured; the first call is warm because create() ran one)', async () => {
    const detector = await SmartTurnDetector.create(ort, COMPLETE);
    const eight = new Float32Array(8 * 16_000);
    for (let at = 0; at + speech.length <= eight.length; at += speech.length) eight.set(speech, at);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push((await detector.predict(eight)).computeMs);
    const started = performance.now();
    smartTurnFeatures(eight);
    const features = performance.now() - started;
    console.log(`${_name}: predict() on 8 s: ${runs.map((ms) => ms.toFixed(1)).join(', ')} ms (features alone after them: ${features.toFixed(1)} ms)`);
    // Generous: the suite runs many files in parallel on two cores.
    expect(Math.min(...runs)).toBeLessThan(1000);
    await detector.release();
  });
});
