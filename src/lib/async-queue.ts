/**
 * A push/pull queue exposed as an async iterable: producers push values (or end / fail it),
 * one consumer pulls them with `for await`. Used where callbacks (a worker's messages, a
 * library's streamer, the sentences a reply releases to its speech loop) must become a stream.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null =
    null;
  private ended = false;
  private failure: { error: unknown } | null = null;
  /** Runs when the consumer stops early (break / return / throw in its `for await` loop). */
  onReturn: (() => void) | undefined;

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else {
      this.items.push(value);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = { error };
    // Values already queued are dropped: the consumer learns of the failure at once.
    this.items.length = 0;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(error);
    }
  }

  get isEnded(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) {
          return Promise.resolve({ value: this.items.shift() as T, done: false });
        }
        if (this.failure) return Promise.reject(this.failure.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          this.waiting = { resolve, reject };
        });
      },
      return: () => {
        if (!this.ended) {
          this.ended = true;
          this.items.length = 0;
          this.onReturn?.();
        }
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
