// The engine's load() with its warm-up, on the constructed Whisper fixture in Node. Node's
// onnxruntime has no `wasm` device, so the tests pass transformers.js's `cpu` as the backend (the
// engine hands the backend to transformers.js as its device), and point transformers.js at the
// fixture folder instead of the app's model source. The pipeline is wrapped to record each session
// run, and to fail a chosen call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MOONSHINE_VARIANTS, QUESTION, WHISPER_VARIANTS } from '../../../tools/fixtures/catalogue.ts';
import { writeFolder } from '../../../tools/fixtures/generate.ts';
import { speak16k } from '../../../tools/fixtures/test-speech.ts';
import { buildMoonshine } from '../../../tools/fixtures/moonshine.ts';
import { buildWhisper } from '../../../tools/fixtures/whisper.ts';
import { isDeviceLostError } from '../stage-error.ts';
import type { Backend, StageLoadOptions } from '../types.ts';
import { TransformersAsrEngine } from './transformers-asr-engine.ts';

const state = vi.hoisted(() => ({
  root: '',
  /** Each session run: `encoder`, `decoder` (no cache yet) or `decoder+cache`. */
  runs: [] as string[],
  /** Errors for the next transcriber calls to throw, in order. */
  failures: [] as Error[],
}));

vi.mock('../transformers/configure-env.ts', async () => {
  const { env } = await import('@huggingface/transformers');
  return {
    configureTransformersEnv: () => {
      env.localModelPath = state.root;
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
    },
  };
});

interface Session {
  run: (feeds: Record<string, { data: ArrayLike<unknown> }>, ...rest: unknown[]) => Promise<unknown>;
}

vi.mock('@huggingface/transformers', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@huggingface/transformers')>();
  const pipeline = async (...args: Parameters<typeof actual.pipeline>) => {
    const transcriber = await actual.pipeline(...args);
    const sessions = (transcriber.model as unknown as { sessions: Record<string, Session> }).sessions;
    for (const [name, session] of Object.entries(sessions)) {
      const run = session.run.bind(session);
      session.run = (feeds, ...rest) => {
        const branch = feeds.use_cache_branch;
        state.runs.push(name === 'model' ? 'encoder' : branch && Boolean(branch.data[0]) ? 'decoder+cache' : 'decoder');
        return run(feeds, ...rest);
      };
    }
    return new Proxy(transcriber, {
      apply: (target, self, callArgs) => {
        const failure = state.failures.shift();
        return failure ? Promise.reject(failure) : Reflect.apply(target as (...args: unknown[]) => Promise<unknown>, self, callArgs);
      },
    });
  };
  return { ...actual, pipeline };
});

beforeAll(() => {
  state.root = mkdtempSync(join(tmpdir(), 'asr-engine-'));
  writeFolder(state.root, buildWhisper(WHISPER_VARIANTS.find((v) => v.id === 'fixtures/whisper-ask')!));
});

afterAll(() => rmSync(state.root, { recursive: true, force: true }));

const engines: TransformersAsrEngine[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  state.runs = [];
  state.failures = [];
  for (const engine of engines.splice(0)) await engine.unload();
});

const OPTIONS: StageLoadOptions = {
  model: 'fixtures/whisper-ask',
  source: { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' },
  backend: 'cpu' as Backend,
  dtype: 'fp32/fp32',
};

function newEngine(): TransformersAsrEngine {
  const engine = new TransformersAsrEngine();
  engines.push(engine);
  return engine;
}

describe('TransformersAsrEngine warm-up', () => {
  it('transcribes once in load(): the encoder and both decoder branches run, and the time is reported', async () => {
    const engine = newEngine();
    const loaded = await engine.load(OPTIONS);
    expect(loaded.warmupMs).toBeGreaterThan(0);
    expect(loaded.warmupError).toBeUndefined();
    expect(state.runs[0]).toBe('encoder');
    expect(state.runs.filter((r) => r === 'encoder')).toHaveLength(1);
    expect(state.runs).toContain('decoder');
    expect(state.runs).toContain('decoder+cache');
    // Then a real utterance is heard as usual.
    expect((await engine.transcribe(speak16k(QUESTION))).text).toBe(QUESTION);
  });

  it('keeps a model whose warm-up failed: the load reports it and warns, and the model transcribes', async () => {
    state.failures.push(new Error('kernel exploded'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const engine = newEngine();
    const loaded = await engine.load(OPTIONS);
    expect(loaded.warmupError).toBe('kernel exploded');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('kernel exploded'));
    expect((await engine.transcribe(speak16k(QUESTION))).text).toBe(QUESTION);
  });

  it('fails the load when the warm-up finds the GPU device lost', async () => {
    state.failures.push(new Error('GPUDevice was lost: the driver reset'));
    const engine = newEngine();
    const failure = await engine.load(OPTIONS).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isDeviceLostError(failure)).toBe(true);
    await expect(engine.transcribe(new Float32Array(16000))).rejects.toMatchObject({ code: 'not-loaded' });
  });
});

describe('TransformersAsrEngine on a Moonshine model', () => {
  beforeAll(() => writeFolder(state.root, buildMoonshine(MOONSHINE_VARIANTS[0]!)));

  it('loads it through the same pipeline and transcribes the whole question, even when short', async () => {
    const engine = newEngine();
    const loaded = await engine.load({ ...OPTIONS, model: 'fixtures/moonshine-ask' });
    expect(loaded.model).toBe('fixtures/moonshine-ask');
    expect((await engine.transcribe(speak16k(QUESTION))).text).toBe(QUESTION);
    // 0.8 s of speech: the pipeline's own limit (6 tokens per whole second) would allow none.
    const short = speak16k('Yes.').subarray(0, 0.8 * 16000);
    expect((await engine.transcribe(short)).text).toBe(QUESTION);
    expect((await engine.transcribe(new Float32Array(16000))).text).toBe('');
  });
});
