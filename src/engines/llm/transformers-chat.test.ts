// KV cache reuse across turns, through the real transformers.js generate() on the constructed chat
// LM fixture (a Qwen2-layout ONNX model with a real past_key_values input and output). The fixture
// finds its reply step from marker rows in its cache, so a cache that did not line up with the prompt
// would derail the reply: the same text from a reused cache and from a fresh one is a real check.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, type Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CAPITAL_REPLY, CHAT_LM_VARIANTS } from '../../../tools/fixtures/catalogue.ts';
import { buildChatLm } from '../../../tools/fixtures/causal-lm.ts';
import { writeFolder } from '../../../tools/fixtures/generate.ts';
import type { ChatMessage } from '../types.ts';
import { commonPrefixLength } from './kv-cache-reuse.ts';
import { TransformersChat, WARM_UP_PROMPT } from './transformers-chat.ts';

let root = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'llm-kv-'));
  for (const variant of CHAT_LM_VARIANTS.filter((v) => v.id === 'fixtures/chat-lm' || v.id === 'fixtures/chat-lm-endless')) {
    writeFolder(root, buildChatLm(variant));
  }
  env.localModelPath = root;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const open: TransformersChat[] = [];
afterAll(async () => {
  for (const chat of open) await chat.dispose();
});

async function openChat(id = 'fixtures/chat-lm'): Promise<TransformersChat> {
  const [tokenizer, model] = await Promise.all([
    AutoTokenizer.from_pretrained(id),
    AutoModelForCausalLM.from_pretrained(id, { dtype: 'fp32' }),
  ]);
  const chat = new TransformersChat(tokenizer, model);
  open.push(chat);
  return chat;
}

async function reply(chat: TransformersChat, messages: ChatMessage[], maxTokens = 100, signal?: AbortSignal): Promise<string> {
  let text = '';
  for await (const piece of chat.generate(messages, { maxTokens, ...(signal ? { signal } : {}) })) text += piece;
  return text;
}

/** The ids of a chat's prompt (template applied) or of a raw text. */
function promptIds(chat: TransformersChat, input: ChatMessage[] | string): bigint[] {
  if (typeof input === 'string') return chat.tokenizer.encode(input, { add_special_tokens: false }).map(BigInt);
  const { input_ids } = chat.tokenizer.apply_chat_template(input, { add_generation_prompt: true, return_dict: true }) as {
    input_ids: Tensor;
  };
  return Array.from(input_ids.data as BigInt64Array);
}

const SYSTEM: ChatMessage = { role: 'system', content: 'You are Hearth, a friendly voice assistant.' };
const TURN_1: ChatMessage[] = [SYSTEM, { role: 'user', content: 'What is the capital of France?' }];
const TURN_2: ChatMessage[] = [...TURN_1, { role: 'assistant', content: CAPITAL_REPLY }, { role: 'user', content: 'Tell me more.' }];
const TURN_3: ChatMessage[] = [...TURN_2, { role: 'assistant', content: CAPITAL_REPLY }, { role: 'user', content: 'And the food?' }];

describe('TransformersChat KV cache reuse', () => {
  it('a second and third turn reuse the cache, encode only the new tokens, and reply as a fresh model does', async () => {
    const chat = await openChat();
    expect(await reply(chat, TURN_1)).toBe(CAPITAL_REPLY);
    const first = chat.lastPrefill!;
    expect(first.cachedTokens).toBe(0);
    // The cache covers the prompt and every reply token but the final EOS, which is never fed.
    const kept = chat.cachedTokens;
    expect(kept).toBeGreaterThan(first.promptTokens);

    expect(await reply(chat, TURN_2)).toBe(CAPITAL_REPLY);
    const second = chat.lastPrefill!;
    // The template renders the reply as generated and closes it with the EOS token the cache lacks,
    // so the whole kept cache is a prefix of the new prompt.
    expect(second.cachedTokens).toBe(kept);
    const fresh = await openChat();
    expect(await reply(fresh, TURN_2)).toBe(CAPITAL_REPLY);
    expect(fresh.lastPrefill).toEqual({ promptTokens: second.promptTokens, cachedTokens: 0 });
    // Only the new user message and the template around it are encoded: the EOS closing the reply
    // and the new turn, as the template renders them.
    const suffix = '<|im_end|>\n<|im_start|>user\nTell me more.<|im_end|>\n<|im_start|>assistant\n';
    expect(second.promptTokens - second.cachedTokens).toBe(promptIds(chat, suffix).length);

    expect(await reply(chat, TURN_3)).toBe(CAPITAL_REPLY);
    expect(chat.lastPrefill!.cachedTokens).toBeGreaterThan(second.promptTokens);
  });

  it('cuts the cache back to the common prefix when the stored reply differs from the generated one', async () => {
    const chat = await openChat();
    await reply(chat, TURN_1);
    const turn1Prompt = chat.lastPrefill!.promptTokens;
    // A barge-in keeps only what was heard: the history's reply is a prefix of the generated text.
    const heard = 'The capital of France is Paris.';
    const bargeIn: ChatMessage[] = [...TURN_1, { role: 'assistant', content: heard }, { role: 'user', content: 'Wait.' }];
    expect(await reply(chat, bargeIn)).toBe(CAPITAL_REPLY);
    const { cachedTokens } = chat.lastPrefill!;
    expect(cachedTokens).toBeGreaterThan(turn1Prompt);
    expect(cachedTokens).toBeLessThan(turn1Prompt + 10);
  });

  it('starts fresh when the history no longer starts with what the cache holds', async () => {
    const chat = await openChat();
    await reply(chat, TURN_1);
    const edited: ChatMessage[] = [
      { role: 'system', content: 'A different system prompt.' },
      ...TURN_2.slice(1),
    ];
    expect(await reply(chat, edited)).toBe(CAPITAL_REPLY);
    // Only the template's opening ('<|im_start|>system\n') is shared; the cache is cut to it.
    const shared = commonPrefixLength(promptIds(chat, TURN_1), promptIds(chat, edited));
    expect(shared).toBeLessThan(10);
    expect(chat.lastPrefill!.cachedTokens).toBe(shared);

    // A different conversation altogether: still the right reply.
    expect(await reply(chat, [{ role: 'user', content: 'Hello there' }])).toBe(CAPITAL_REPLY);
  });

  it('drops the cache of an aborted turn, and of a consumer that stops reading', async () => {
    const chat = await openChat('fixtures/chat-lm-endless');
    const controller = new AbortController();
    let pieces = 0;
    try {
      for await (const _piece of chat.generate(TURN_1, { maxTokens: 200, signal: controller.signal })) {
        if (++pieces === 5) controller.abort();
      }
    } catch {
      // An aborted stream may end quietly or with the abort; either way the cache must be gone.
    }
    expect(chat.cachedTokens).toBe(0);

    // The token cap is a normal end: the cache covers what was fed and is kept.
    await reply(chat, TURN_1, 10);
    expect(chat.cachedTokens).toBe(chat.lastPrefill!.promptTokens + 9);

    for await (const _piece of chat.generate(TURN_2, { maxTokens: 200 })) break;
    expect(chat.cachedTokens).toBe(0);
    await reply(chat, TURN_2, 5);
    expect(chat.lastPrefill!.cachedTokens).toBe(0);
  });
});

describe('TransformersChat warm-up', () => {
  it('runs one short generation: a prefill and one step fed with a cache', async () => {
    const chat = await openChat();
    const generate = vi.spyOn(chat.model, 'generate');
    await chat.warmUp();
    expect(generate).toHaveBeenCalledTimes(1);
    expect(generate.mock.calls[0]![0]).toMatchObject({ max_new_tokens: 2 });
    generate.mockRestore();
  });

  it('leaves no cache and no prefill stats, so the first real turn starts fresh', async () => {
    const chat = await openChat();
    await chat.warmUp();
    expect(chat.cachedTokens).toBe(0);
    expect(chat.lastPrefill).toBeNull();
    expect(await reply(chat, TURN_1)).toBe(CAPITAL_REPLY);
    expect(chat.lastPrefill).toEqual({ promptTokens: promptIds(chat, TURN_1).length, cachedTokens: 0 });
    // The turn after it reuses that first turn's cache as usual.
    expect(await reply(chat, TURN_2)).toBe(CAPITAL_REPLY);
    expect(chat.lastPrefill!.cachedTokens).toBeGreaterThan(promptIds(chat, TURN_1).length);
  });

  it('is needed: a plain generation of the warm-up prompt would leave a cache the first turn cuts and reuses', async () => {
    const chat = await openChat();
    await reply(chat, [...WARM_UP_PROMPT], 2);
    expect(chat.cachedTokens).toBeGreaterThan(0);
    await reply(chat, TURN_1);
    // The template's opening tokens are shared, so the keeper hands out a cut of the warm-up's cache.
    expect(chat.lastPrefill!.cachedTokens).toBeGreaterThan(0);
  });

  it('leaves nothing behind when its generation fails, and the chat still works', async () => {
    const chat = await openChat();
    const generate = vi.spyOn(chat.model, 'generate').mockRejectedValueOnce(new Error('kernel exploded'));
    await expect(chat.warmUp()).rejects.toThrow('kernel exploded');
    generate.mockRestore();
    expect(chat.cachedTokens).toBe(0);
    expect(chat.lastPrefill).toBeNull();
    expect(await reply(chat, TURN_1)).toBe(CAPITAL_REPLY);
    expect(chat.lastPrefill!.cachedTokens).toBe(0);
  });
});
