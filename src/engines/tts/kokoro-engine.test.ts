// The engine's load() with its warm-up, on the constructed Kokoro fixture in Node. Node's
// onnxruntime has no `wasm` device, so the tests pass transformers.js's `cpu` as the backend (the
// engine hands the backend to kokoro-js as its device), and point transformers.js at the fixture
// folder instead of the app's model source. kokoro-js reads voices from its own package in Node,
// so the browser's voice provider (Cache Storage) is left out: blends read the same files.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KokoroTTS } from 'kokoro-js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KOKORO_ID } from '../../../tools/fixtures/catalogue.ts';
import { writeFolder } from '../../../tools/fixtures/generate.ts';
import { buildKokoro, kokoroJsVoicesDir } from '../../../tools/fixtures/kokoro.ts';
import { isDeviceLostError } from '../stage-error.ts';
import type { Backend, TtsLoadOptions } from '../types.ts';
import { KokoroTtsEngine } from './kokoro-engine.ts';

const fixtures = vi.hoisted(() => ({ root: '' }));

vi.mock('../transformers/configure-env.ts', async () => {
  const { env } = await import('@huggingface/transformers');
  return {
    configureTransformersEnv: () => {
      env.localModelPath = fixtures.root;
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
    },
  };
});

vi.mock('./kokoro-voices.ts', () => ({
  provideVoice: async () => {},
  voiceStyles: async (_source: unknown, _model: string, voice: string) => {
    const bytes = readFileSync(join(kokoroJsVoicesDir(), `${voice}.bin`));
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  },
}));

beforeAll(() => {
  fixtures.root = mkdtempSync(join(tmpdir(), 'tts-engine-'));
  writeFolder(fixtures.root, buildKokoro(KOKORO_ID));
});

afterAll(() => rmSync(fixtures.root, { recursive: true, force: true }));

const engines: KokoroTtsEngine[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const engine of engines.splice(0)) await engine.unload();
});

const OPTIONS: TtsLoadOptions = {
  model: KOKORO_ID,
  source: { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' },
  backend: 'cpu' as Backend,
  dtype: 'fp32',
  voice: 'af_heart',
};

function newEngine(): KokoroTtsEngine {
  const engine = new KokoroTtsEngine();
  engines.push(engine);
  return engine;
}

describe('KokoroTtsEngine warm-up', () => {
  it('speaks one short word with the loaded voice in load(), and says how long it took', async () => {
    const generate = vi.spyOn(KokoroTTS.prototype, 'generate');
    const engine = newEngine();
    const loaded = await engine.load(OPTIONS);
    expect(loaded.warmupMs).toBeGreaterThan(0);
    expect(loaded.warmupError).toBeUndefined();
    expect(generate).toHaveBeenCalledTimes(1);
    expect(generate.mock.calls[0]![0]).toBe('Hello.');
    expect(generate.mock.calls[0]![1]).toMatchObject({ voice: 'af_heart' });
    const audio = await engine.synthesize('Good morning.', { voice: 'af_heart' });
    expect(audio.samples.length).toBeGreaterThan(0);
  });

  it('has nothing to warm up with when no voice is given', async () => {
    const generate = vi.spyOn(KokoroTTS.prototype, 'generate');
    const engine = newEngine();
    const loaded = await engine.load({ ...OPTIONS, voice: undefined });
    expect(loaded.warmupMs).toBeUndefined();
    expect(generate).not.toHaveBeenCalled();
  });

  it('keeps a model whose warm-up failed (an unknown voice): the load reports it and warns, and other voices speak', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const engine = newEngine();
    const loaded = await engine.load({ ...OPTIONS, voice: 'xx_nobody' });
    expect(loaded.warmupError).toContain('unknown voice "xx_nobody"');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('xx_nobody'));
    const audio = await engine.synthesize('Good morning.', { voice: 'af_heart' });
    expect(audio.samples.length).toBeGreaterThan(0);
  });

  it('fails the load when the warm-up finds the GPU device lost', async () => {
    vi.spyOn(KokoroTTS.prototype, 'generate').mockRejectedValueOnce(new Error('GPUDevice was lost: the driver reset'));
    const engine = newEngine();
    const failure = await engine.load(OPTIONS).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isDeviceLostError(failure)).toBe(true);
    await expect(engine.synthesize('Hi.', { voice: 'af_heart' })).rejects.toMatchObject({ code: 'not-loaded' });
  });
});

describe('KokoroTtsEngine with a blended voice', () => {
  it('speaks the same text at the same length as its voices, and sounds like neither', async () => {
    const engine = newEngine();
    await engine.load(OPTIONS);
    const text = 'Good morning to you.';
    const [heart, michael, blend] = await Promise.all(
      ['af_heart', 'am_michael', 'blend-af_heart-500-am_michael-500'].map(async (voice) => (await engine.synthesize(text, { voice })).samples),
    );
    expect(blend!.length).toBe(heart!.length);
    expect(blend!.length).toBe(michael!.length);
    const differs = (a: Float32Array, b: Float32Array) => a.some((value, i) => Math.abs(value - b[i]!) > 0.1);
    expect(differs(blend!, heart!)).toBe(true);
    expect(differs(blend!, michael!)).toBe(true);
    // Made once, then the same every time.
    expect((await engine.synthesize(text, { voice: 'blend-af_heart-500-am_michael-500' })).samples).toEqual(blend);
  });

  it('refuses a blend of a voice kokoro-js does not have, and an id that is not a recipe', async () => {
    const engine = newEngine();
    await engine.load(OPTIONS);
    await expect(engine.synthesize('Hi.', { voice: 'blend-af_heart-500-xx_nobody-500' })).rejects.toThrow(/unknown voice "xx_nobody"/);
    await expect(engine.synthesize('Hi.', { voice: 'blend-af_heart' })).rejects.toThrow(/invalid blended voice id/);
  });
});
