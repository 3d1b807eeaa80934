// Fake stages for unit tests of the voice loop (end-to-end tests run the real ones). Each fake
// records what it was asked and lets a test hold it at a gate to observe the loop mid-flight.
import type { AudioChunk, ChatMessage, GenerateOptions, SynthesizeOptions, Transcript } from '../../engines/types.ts';
import type { AudioSink, PlayerEvent, SegmentMeta, SegmentPlayback, StopReport } from '../player/types.ts';

export class Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve: (value: T) => void = () => {};
  reject: (error: unknown) => void = () => {};
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/** Lets pending promise callbacks and zero-delay timers run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Waits (on the event loop, not the clock) until `condition` holds. */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

export class FakeAsr {
  readonly calls: { audio: Float32Array; signal?: AbortSignal }[] = [];
  /** Transcripts handed out in order; the last one repeats. */
  constructor(
    private readonly transcripts: string[] = ['Hello there.'],
    public gate?: Promise<void>,
  ) {}
  error: Error | null = null;

  async transcribe(audio: Float32Array, options?: { signal?: AbortSignal }): Promise<Transcript> {
    const index = this.calls.length;
    this.calls.push({ audio, signal: options?.signal });
    if (this.gate) await this.gate;
    if (this.error) throw this.error;
    const text = this.transcripts[Math.min(index, this.transcripts.length - 1)] ?? '';
    return { text, computeMs: 12 };
  }
}

export interface LlmCall {
  messages: ChatMessage[];
  options: GenerateOptions;
  /** The generator's `finally` ran (it was returned or finished). */
  closed: boolean;
  produced: number;
}

export class FakeLlm {
  readonly calls: LlmCall[] = [];
  /** Before yielding token i, the generator waits on gates.get(i) when present. */
  readonly gates = new Map<number, Promise<void>>();
  /** Throws after this many tokens when set. */
  failAfter: number | null = null;
  /** Ignore maxTokens (a reply that never ends). */
  endless = false;

  constructor(public tokens: string[] = ['Hi', ' there', '.', ' How', ' can', ' I', ' help', '?']) {}

  generate(messages: ChatMessage[], options: GenerateOptions): AsyncIterable<string> {
    const call: LlmCall = { messages: structuredClone(messages), options, closed: false, produced: 0 };
    this.calls.push(call);
    return this.#reply(call, options);
  }

  async *#reply(call: LlmCall, options: GenerateOptions): AsyncGenerator<string> {
    try {
      for (let i = 0; this.endless || i < this.tokens.length; i += 1) {
        if (!this.endless && i >= options.maxTokens) return;
        const gate = this.gates.get(i);
        if (gate) await gate;
        if (options.signal?.aborted) return;
        if (this.failAfter !== null && i >= this.failAfter) throw new Error('LLM exploded');
        call.produced += 1;
        yield this.endless ? ' word' : (this.tokens[i] as string);
      }
    } finally {
      call.closed = true;
    }
  }
}

export class FakeTts {
  readonly calls: { text: string; options: SynthesizeOptions }[] = [];
  /** Before finishing synthesis of call i, wait on gates.get(i) when present. */
  readonly gates = new Map<number, Promise<void>>();
  failing = false;
  /** Samples per character of text (24 kHz). */
  samplesPerChar = 100;

  async synthesize(text: string, options: SynthesizeOptions): Promise<AudioChunk> {
    const index = this.calls.length;
    this.calls.push({ text, options });
    const gate = this.gates.get(index);
    if (gate) await gate;
    if (this.failing) throw new Error('TTS exploded');
    return { samples: new Float32Array(text.length * this.samplesPerChar), sampleRate: 24000 };
  }
}

interface QueuedSegment extends SegmentMeta {
  totalFrames: number;
  playedFrames: number;
  started: boolean;
}

/**
 * A player whose playback the test drives: `startNext()`, `playFrames(n)`, `finishCurrent()`.
 * With `autoplay`, each segment starts and ends on its own shortly after it is queued.
 */
export class FakePlayer implements AudioSink {
  readonly enqueued: (SegmentMeta & { chunk: AudioChunk })[] = [];
  readonly events: PlayerEvent[] = [];
  stops = 0;
  /** Whether the output is held silent (see AudioSink.hold). */
  held = false;
  private queue: QueuedSegment[] = [];
  private readonly listeners = new Set<(event: PlayerEvent) => void>();

  constructor(
    private readonly autoplay = false,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get queued(): readonly SegmentMeta[] {
    return this.queue;
  }

  enqueue(chunk: AudioChunk, meta: SegmentMeta): void {
    this.enqueued.push({ ...meta, chunk });
    this.queue.push({ ...meta, totalFrames: chunk.samples.length, playedFrames: 0, started: false });
    if (this.autoplay) setTimeout(() => this.autoplayStep(), 0);
  }

  private autoplayStep(): void {
    const head = this.queue[0];
    if (!head) return;
    if (!head.started) this.startNext();
    setTimeout(() => {
      if (this.queue[0] === head) this.finishCurrent();
      this.autoplayStep();
    }, 1);
  }

  startNext(): void {
    const head = this.queue[0];
    if (!head || head.started) return;
    head.started = true;
    this.emit({ type: 'segment-start', turnId: head.turnId, segmentId: head.segmentId, at: this.clock() });
  }

  playFrames(frames: number): void {
    const head = this.queue[0];
    if (head?.started) head.playedFrames = Math.min(head.totalFrames, head.playedFrames + frames);
  }

  finishCurrent(): void {
    const head = this.queue.shift();
    if (!head) return;
    if (!head.started) this.emit({ type: 'segment-start', turnId: head.turnId, segmentId: head.segmentId, at: this.clock() });
    const played: SegmentPlayback = { turnId: head.turnId, segmentId: head.segmentId, playedFrames: head.totalFrames, totalFrames: head.totalFrames };
    this.emit({ type: 'played', ...played });
    this.emit({ type: 'segment-end', at: this.clock(), ...played });
    if (this.queue.length === 0) this.emit({ type: 'drained', at: this.clock(), renderedFrames: 0 });
  }

  hold(held: boolean): void {
    this.held = held;
    this.emit({ type: 'hold', held, at: this.clock() });
  }

  async stop(): Promise<StopReport> {
    this.stops += 1;
    this.held = false;
    const segments = this.queue.map(({ turnId, segmentId, playedFrames, totalFrames }) => ({ turnId, segmentId, playedFrames, totalFrames }));
    this.queue = [];
    for (const segment of segments) this.emit({ type: 'played', ...segment });
    return { segments };
  }

  subscribe(listener: (event: PlayerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: PlayerEvent): void {
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }
}
