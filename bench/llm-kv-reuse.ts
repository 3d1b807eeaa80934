// Time to first token of a late turn in a long conversation, with the KV cache carried over from the
// previous turn (TransformersChat's default) and without it (the cache dropped first, so the whole
// history is encoded again), side by side on one loaded model: runs alternate, so a loaded machine
// slows both alike. Runs in Node (onnxruntime-node, one thread), not in the browser's wasm build.
//
//   npm run fixtures:realsize -- smollm2-135m-instruct
//   npx tsx bench/llm-kv-reuse.ts [--root fixtures/realsize] [--model synthetic/smollm2-135m-instruct]
//                                 [--dtype q8] [--turns 8] [--runs 5]
import { parseArgs } from 'node:util';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
import type { PrefillStats } from '../src/engines/llm/kv-cache-reuse.ts';
import { TransformersChat } from '../src/engines/llm/transformers-chat.ts';
import type { ChatMessage } from '../src/engines/types.ts';
import { fmt, percentile, table } from './stats.ts';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: 'fixtures/realsize' },
    model: { type: 'string', default: 'synthetic/smollm2-135m-instruct' },
    dtype: { type: 'string', default: 'q8' },
    turns: { type: 'string', default: '8' },
    runs: { type: 'string', default: '5' },
  },
});

env.localModelPath = values.root;
env.allowRemoteModels = false;
env.allowLocalModels = true;

const dtype = values.dtype as 'q8' | 'fp32';
const [tokenizer, model] = await Promise.all([
  AutoTokenizer.from_pretrained(values.model),
  AutoModelForCausalLM.from_pretrained(values.model, {
    dtype,
    device: 'cpu',
    // One thread, as the browser's wasm build runs on this project's 2-core machines.
    session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
  }),
]);
const chat = new TransformersChat(tokenizer, model);

/** A synthetic conversation: earlier turns, each a question and the model's own full reply. */
async function buildHistory(turns: number): Promise<ChatMessage[]> {
  const history: ChatMessage[] = [{ role: 'system', content: 'You are Hearth, a friendly voice assistant. Keep answers short.' }];
  for (let t = 0; t < turns; t++) {
    history.push({ role: 'user', content: `Question ${t + 1}: tell me something about Paris, its museums and its food, please.` });
    let reply = '';
    for await (const piece of chat.generate(history, { maxTokens: 200 })) reply += piece;
    history.push({ role: 'assistant', content: reply });
  }
  return history;
}

async function firstTokenMs(messages: ChatMessage[]): Promise<number> {
  const started = performance.now();
  // maxTokens 1: the first token is the measurement; the cap ends the turn normally.
  for await (const _piece of chat.generate(messages, { maxTokens: 1 })) break;
  return performance.now() - started;
}

const turns = Number(values.turns);
const runs = Number(values.runs);
const history = await buildHistory(turns - 1);
const lastAnswer = history.pop()!;
const previousTurn = history;
const turnN: ChatMessage[] = [...previousTurn, lastAnswer, { role: 'user', content: 'And what about its history?' }];

const reuse: number[] = [];
const fresh: number[] = [];
const stats: Record<'reuse' | 'fresh', PrefillStats | null> = { reuse: null, fresh: null };
for (let r = 0; r < runs; r++) {
  for (const mode of r % 2 === 0 ? (['reuse', 'fresh'] as const) : (['fresh', 'reuse'] as const)) {
    // Turn N-1 again, to its end, so the cache holds its prompt and reply as it would in the app.
    for await (const _piece of chat.generate(previousTurn, { maxTokens: 200 })) {
      // drain
    }
    if (mode === 'fresh') await chat.forgetCache();
    (mode === 'reuse' ? reuse : fresh).push(await firstTokenMs(turnN));
    stats[mode] = chat.lastPrefill;
  }
}
await chat.dispose();

const median = (v: number[]) => percentile(v, 50);
console.log(`${values.model} (${dtype}), turn ${turns}, ${runs} runs each, onnxruntime-node 1 thread\n`);
console.log(
  table([
    ['mode', 'prompt tokens', 'encoded tokens', 'TTFT p50 ms', 'min', 'max'],
    ...(['fresh', 'reuse'] as const).map((mode) => {
      const v = mode === 'reuse' ? reuse : fresh;
      const s = stats[mode]!;
      return [mode, String(s.promptTokens), String(s.promptTokens - s.cachedTokens), fmt(median(v)), fmt(Math.min(...v)), fmt(Math.max(...v))];
    }),
  ]),
);
