// The engine's load() with its warm-up, on the constructed chat LM fixture in Node. Node's
// onnxruntime has no `wasm` device, so the tests pass transformers.js's `cpu` as the backend (the
// engine hands the backend to transformers.js as its device), and point transformers.js at the
// fixture folder instead of the app's model source.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM } from '@huggingface/transformers';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CAPITAL_REPLY, CHAT_LM_VARIANTS } from '../../../tools/fixtures/catalogue.ts';
import { buildChatLm } from '../../../tools/fixtures/causal-lm.ts';
import { writeFolder } from '../../../tools/fixtures/generate.ts';
import { isDeviceLostError } from '../stage-error.ts';
import type { Backend, ChatMessage, LlmLoadOptions } from '../types.ts';
import { TransformersLlmEngine } from './transformers-llm-engine.ts';

const fixtures = vi.hoisted(() => ({ root: '' }));

vi.mock('../transformers/configure-env.ts', async () => {
  const { env: transformersEnv } = await import('@huggingface/transformers');
  return {
    configureTransformersEnv: () => {
      transformersEnv.localModelPath = fixtures.root;
      transformersEnv.allowRemoteModels = false;
      transformersEnv.allowLocalModels = true;
    },
  };
});

beforeAll(() => {
  fixtures.root = mkdtempSync(join(tmpdir(), 'llm-engine-'));
  for (const variant of CHAT_LM_VARIANTS.filter((v) => v.id === 'fixtures/chat-lm')) writeFolder(fixtures.root, buildChatLm(variant));
});

afterAll(() => rmSync(fixtures.root, { recursive: true, force: true }));

const engines: TransformersLlmEngine[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const engine of engines.splice(0)) await engine.unload();
});

const OPTIONS: LlmLoadOptions = {
  model: 'fixtures/chat-lm',
  source: { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' },
  backend: 'cpu' as Backend,
  dtype: 'fp32',
  engine: 'transformers',
};

const TURN_1: ChatMessage[] = [
  { role: 'system', content: 'You are Hearth, a friendly voice assistant.' },
  { role: 'user', content: 'What is the capital of France?' },
];

function newEngine(): TransformersLlmEngine {
  const engine = new TransformersLlmEngine();
  engines.push(engine);
  return engine;
}

async function reply(engine: TransformersLlmEngine, messages: ChatMessage[]): Promise<string> {
  let text = '';
  for await (const piece of engine.generate(messages, { maxTokens: 100 })) text += piece;
  return text;
}

/** Makes the next model's generate() fail once with `error`, as a warm-up failure would. */
function failFirstGenerate(error: Error): void {
  const load = AutoModelForCausalLM.from_pretrained.bind(AutoModelForCausalLM);
  vi.spyOn(AutoModelForCausalLM, 'from_pretrained').mockImplementation(async (...args) => {
    const model = await load(...args);
    vi.spyOn(model, 'generate').mockRejectedValueOnce(error);
    return model;
  });
}

describe('TransformersLlmEngine warm-up', () => {
  it('runs a warm-up inference in load() and says how long it took', async () => {
    const engine = newEngine();
    const loaded = await engine.load(OPTIONS);
    expect(loaded.warmupMs).toBeGreaterThan(0);
    expect(loaded.warmupError).toBeUndefined();
    expect(loaded.loadMs).toBeGreaterThanOrEqual(loaded.warmupMs!);
  });

  it('leaves no cache for the first real turn to reuse', async () => {
    const engine = newEngine();
    await engine.load(OPTIONS);
    expect(engine.cachedTokens).toBe(0);
    expect(engine.lastPrefill).toBeNull();
    expect(await reply(engine, TURN_1)).toBe(CAPITAL_REPLY);
    expect(engine.lastPrefill!.cachedTokens).toBe(0);
  });

  it('keeps a model whose warm-up failed: the load reports it and warns, and the model replies', async () => {
    failFirstGenerate(new Error('kernel exploded'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const engine = newEngine();
    const loaded = await engine.load(OPTIONS);
    expect(loaded.warmupError).toBe('kernel exploded');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('kernel exploded'));
    expect(engine.cachedTokens).toBe(0);
    expect(await reply(engine, TURN_1)).toBe(CAPITAL_REPLY);
  });

  it('fails the load when the warm-up finds the GPU device lost', async () => {
    failFirstGenerate(new Error('GPUDevice was lost: the driver reset'));
    const engine = newEngine();
    const failure = await engine.load(OPTIONS).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isDeviceLostError(failure)).toBe(true);
    await expect(reply(engine, TURN_1)).rejects.toMatchObject({ code: 'not-loaded' });
  });
});
