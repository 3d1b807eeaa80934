// The LLM's work on a reply started before the user's turn was committed (at a short pause),
// kept aside until the turn is committed. Nothing of it is shown, spoken or stored before then:
// the tokens wait here, and the turn replays them into the normal reply path once it commits
// with the same prompt. If the prompt differs or the user goes on, the work is dropped.
import type { ChatMessage, LlmEngine } from '../engines/types.ts';

type Llm = Pick<LlmEngine, 'generate'>;

export interface EagerGenerationOptions {
  maxTokens: number;
  temperature?: number;
  /** The turn's signal: aborting it (the user went on) stops the generation. */
  signal: AbortSignal;
  now: () => number;
}

export class EagerGeneration {
  private readonly tokens: string[] = [];
  private done = false;
  private failure: { error: unknown } | null = null;
  private wake: (() => void) | null = null;
  private readonly controller = new AbortController();
  private readonly startedAt: number;
  private firstAt: number | undefined;
  private consumed = false;

  constructor(
    llm: Llm,
    private readonly messages: ChatMessage[],
    private readonly options: EagerGenerationOptions,
  ) {
    this.startedAt = options.now();
    const stop = (): void => this.controller.abort();
    options.signal.addEventListener('abort', stop, { once: true });
    void this.pump(llm).finally(() => options.signal.removeEventListener('abort', stop));
  }

  /** When the first token arrived, and how long after the generate call (undefined: not yet). */
  get firstToken(): { at: number; sinceStart: number } | undefined {
    return this.firstAt === undefined ? undefined : { at: this.firstAt, sinceStart: this.firstAt - this.startedAt };
  }

  /** The committed turn's prompt is the one this generation answers. */
  answers(messages: readonly ChatMessage[]): boolean {
    return (
      messages.length === this.messages.length &&
      messages.every((message, index) => message.role === this.messages[index]?.role && message.content === this.messages[index]?.content)
    );
  }

  /** Stops it; its tokens are never used. */
  drop(): void {
    this.controller.abort();
  }

  /**
   * An LLM for the committed turn: the kept tokens, then the rest as they come, for the prompt
   * this generation answers; any other prompt gets a fresh generation (and this one is dropped).
   */
  asLlm(fallback: Llm): Llm {
    return {
      generate: (messages, options) => {
        if (this.consumed || !this.answers(messages)) {
          this.drop();
          return fallback.generate(messages, options);
        }
        this.consumed = true;
        return this.replay(options.signal);
      },
    };
  }

  private async *replay(signal?: AbortSignal): AsyncIterable<string> {
    let index = 0;
    while (!signal?.aborted) {
      if (index < this.tokens.length) {
        yield this.tokens[index] as string;
        index += 1;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.done) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private async pump(llm: Llm): Promise<void> {
    const { maxTokens, temperature, now } = this.options;
    try {
      for await (const token of llm.generate(this.messages, { maxTokens, temperature, signal: this.controller.signal })) {
        this.firstAt ??= now();
        this.tokens.push(token);
        this.notify();
      }
    } catch (error) {
      if (!this.controller.signal.aborted) this.failure = { error };
    } finally {
      this.done = true;
      this.notify();
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
