import { TextStreamer, type AutoModelForCausalLM, type AutoTokenizer, type DynamicCache, type Tensor } from '@huggingface/transformers';
import { AsyncQueue } from '../../lib/async-queue.ts';
import { stopOnAbort, throwIfAborted } from '../transformers/abort-criteria.ts';
import type { ChatMessage, GenerateOptions } from '../types.ts';
import { disposeCache, KvCacheKeeper, type PrefillStats } from './kv-cache-reuse.ts';

export type Tokenizer = Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
export type CausalLm = Awaited<ReturnType<typeof AutoModelForCausalLM.from_pretrained>>;

interface PromptInputs {
  input_ids: Tensor;
  attention_mask: Tensor;
}

interface GenerateResult {
  sequences: Tensor;
  past_key_values: DynamicCache;
}

/**
 * The warm-up's prompt, about as long as a first turn's (a short system prompt and a question,
 * ~50 tokens): onnxruntime grows its buffers on the first run at each size, so a prompt of real
 * length leaves less of that to the first turn. Measured on a SmolLM2-135M-sized model in Node
 * (1 thread): first-turn prefill 823 ms CPU without a warm-up, 729 ms after a "Hi" warm-up,
 * 474 ms after this one (a second turn: ~290-430 ms).
 */
export const WARM_UP_PROMPT: readonly ChatMessage[] = [
  { role: 'system', content: 'You are a voice assistant. Answer briefly and plainly; this short message only prepares the model before the first question.' },
  { role: 'user', content: 'Hello, can you hear me? Please say something short.' },
];

/**
 * Chat turns on a loaded transformers.js causal LM, streaming one piece per token, with the KV
 * cache carried from each completed turn to the next (see kv-cache-reuse.ts). Loading, device
 * tracking and unloading stay with the engine; this is what runs between them.
 */
export class TransformersChat {
  private readonly kv = new KvCacheKeeper();
  /** Generation is one at a time; a new call waits for the previous one to wind down. */
  private running: Promise<void> = Promise.resolve();
  private prefill: PrefillStats | null = null;
  /** Set by dispose(): a generation still winding down must not keep a cache nobody will free. */
  private closed = false;

  constructor(
    readonly tokenizer: Tokenizer,
    readonly model: CausalLm,
    /** Maps a generation error to what the caller should see (e.g. a lost GPU device). */
    private readonly classifyError: (error: unknown) => unknown = (error) => error,
  ) {}

  /** How the latest turn's prompt was fed: how many of its tokens came from the kept cache. */
  get lastPrefill(): PrefillStats | null {
    return this.prefill;
  }

  /** Positions of the cache kept for the next turn (0 when it will start fresh). */
  get cachedTokens(): number {
    return this.kv.keptTokens;
  }

  /** Drops the kept cache, e.g. when the next turn starts a new conversation. */
  forgetCache(): Promise<void> {
    return this.kv.drop();
  }

  /**
   * One short generation right after loading, so the first real turn does not pay for
   * onnxruntime's first runs. Two tokens: the first is the prefill, the second the first step fed
   * with a cache, the path every later token takes. Leaves nothing behind: no real conversation
   * continues the warm-up's, and its cache shares the chat template's opening tokens with every
   * prompt, so it would be cut and reused by the first turn (see `KvCacheKeeper.take`).
   */
  async warmUp(): Promise<void> {
    try {
      for await (const _piece of this.generate([...WARM_UP_PROMPT], { maxTokens: 2 })) {
        // drain
      }
    } finally {
      // generate() has kept (or, failing, disposed of) its cache by the time its stream ends.
      await this.kv.drop();
      this.prefill = null;
    }
  }

  async *generate(messages: ChatMessage[], options: GenerateOptions): AsyncIterable<string> {
    const { tokenizer, model } = this;
    const previous = this.running;
    let finished!: () => void;
    this.running = new Promise((resolve) => (finished = resolve));
    const { criteria, release } = stopOnAbort(options.signal);
    try {
      await previous;
      throwIfAborted(options.signal);
      const pieces = new AsyncQueue<string>();
      // The consumer leaving early (break) must stop generation just like an abort.
      pieces.onReturn = () => criteria.interrupt();
      // One piece per generated token, as the LlmEngine contract says, so callers can count
      // tokens (the reply cap). TextStreamer releases text only at word boundaries: a token whose
      // text is not final yet yields an empty piece, and the text goes with the token that ends it.
      let tokenWithoutText = false;
      const streamer = new TextStreamer(tokenizer, {
        skip_prompt: true,
        skip_special_tokens: true,
        token_callback_function: () => {
          if (tokenWithoutText) pieces.push('');
          tokenWithoutText = true;
        },
        callback_function: (text: string) => {
          if (!text) return;
          pieces.push(text);
          tokenWithoutText = false;
        },
      });
      const inputs = tokenizer.apply_chat_template(messages, {
        add_generation_prompt: true,
        return_dict: true,
      }) as PromptInputs;
      // Batch of one: the prompt's ids, compared with the ids the kept cache covers.
      const promptIds = Array.from(inputs.input_ids.data as BigInt64Array);
      const { cache, cachedTokens } = await this.kv.take(promptIds);
      this.prefill = { promptTokens: promptIds.length, cachedTokens };
      const temperature = options.temperature ?? 0;
      const generation = model
        .generate({
          // The full prompt goes in either way: generate() feeds only the ids past the cache's length,
          // and the sampler's repetition penalty and the length limit still see the whole sequence.
          ...inputs,
          ...(cache ? { past_key_values: cache } : {}),
          // Returns the cache with the sequences (and keeps its GPU buffers alive) for the next turn.
          return_dict_in_generate: true,
          max_new_tokens: options.maxTokens,
          do_sample: temperature > 0,
          ...(temperature > 0 ? { temperature } : {}),
          streamer,
          stopping_criteria: criteria,
        })
        .then(
          async (output) => {
            const { sequences, past_key_values } = output as unknown as GenerateResult;
            // An interrupted reply (abort, or the consumer leaving) is not what the history will hold,
            // and the next turn may not even follow it: start that one fresh. A reply that ended or hit
            // the token cap covers exactly the ids fed, so it is kept.
            try {
              if (criteria.interrupted || this.closed) await disposeCache(past_key_values);
              else await this.kv.keep(past_key_values, Array.from(sequences.data as BigInt64Array));
            } finally {
              if (tokenWithoutText) pieces.push('');
              pieces.end();
            }
          },
          async (error: unknown) => {
            try {
              // generate() updates a cache passed to it in place: after a failure it is in no known state.
              if (cache) await disposeCache(cache);
            } finally {
              pieces.fail(this.classifyError(error));
            }
          },
        );
      try {
        yield* pieces;
      } finally {
        criteria.interrupt();
        await generation;
      }
    } finally {
      release();
      finished();
    }
  }

  async dispose(): Promise<void> {
    this.closed = true;
    await this.kv.drop();
    await this.model.dispose();
  }
}
