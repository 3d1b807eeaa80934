// The LLM half of a reply: streams tokens to the UI and, sentence by sentence, to the speech
// queue; enforces the token cap; turns an engine failure part-way into a shortened reply rather
// than a lost one.
import type { ChatMessage, LlmEngine } from '../engines/types.ts';
import { abortableIterable } from './abortable.ts';
import { splitSentences, type SentenceSplitterOptions } from './sentence-splitter.ts';

export interface ReplyStreamOptions {
  llm: Pick<LlmEngine, 'generate'>;
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
  signal: AbortSignal;
  splitter: SentenceSplitterOptions;
  now: () => number;
  /** Every token, with the reply so far; `sinceStart` is ms from the generate call. */
  onToken: (token: string, text: string, at: number, sinceStart: number) => void;
  /** Each speakable chunk, as soon as the splitter releases it. */
  onSentence: (sentence: string, sinceStart: number) => void;
  onCapped: () => void;
  onError: (error: unknown) => void;
}

export interface Reply {
  text: string;
  tokens: number;
  /** Stopped at `maxTokens`. */
  capped: boolean;
  /** The engine failed; `text` is what it wrote before. */
  failed: boolean;
}

/** Runs the reply to its end (or the signal's abort) and says how it went. */
export async function streamReply(options: ReplyStreamOptions): Promise<Reply> {
  const { signal, now } = options;
  const reply: Reply = { text: '', tokens: 0, capped: false, failed: false };
  const startedAt = now();

  async function* counted(tokens: AsyncIterable<string>): AsyncGenerator<string> {
    try {
      for await (const token of tokens) {
        const at = now();
        reply.tokens += 1;
        reply.text += token;
        options.onToken(token, reply.text, at, at - startedAt);
        yield token;
        // The engine is asked to stop at maxTokens; this also holds one that does not.
        if (reply.tokens >= options.maxTokens) {
          reply.capped = true;
          options.onCapped();
          return;
        }
      }
    } catch (error) {
      if (signal.aborted) throw error;
      // Failed part-way: end the stream normally so the splitter releases the text already
      // written, and it is spoken and kept like the rest of the reply.
      reply.failed = true;
      options.onError(error);
    }
  }

  try {
    const stream = options.llm.generate(options.messages, { maxTokens: options.maxTokens, temperature: options.temperature, signal });
    for await (const sentence of splitSentences(counted(abortableIterable(stream, signal)), options.splitter)) {
      options.onSentence(sentence, now() - startedAt);
    }
  } catch (error) {
    // The call itself failed (engine errors while streaming are handled above).
    if (!signal.aborted) {
      reply.failed = true;
      options.onError(error);
    }
  }
  return reply;
}
