export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}

/** Reads a `text/event-stream` response event by event (tests only; comments are skipped). */
export class SseReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #decoder = new TextDecoder();
  #buffer = '';
  #queue: SseEvent[] = [];

  constructor(res: Response) {
    if (!res.body) throw new Error(`no stream (status ${res.status})`);
    this.#reader = res.body.getReader();
  }

  async next(timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    while (this.#queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for an SSE event');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), left)));
      const chunk = await Promise.race([this.#reader.read(), timeout]);
      clearTimeout(timer);
      if (chunk === 'timeout') throw new Error('timed out waiting for an SSE event');
      if (chunk.done) throw new Error('stream ended');
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
      this.#parse();
    }
    return this.#queue.shift()!;
  }

  /** Events until (and including) the first that satisfies `done`. */
  async until(done: (e: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent[]> {
    const events: SseEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.next(Math.max(1, deadline - Date.now()));
      events.push(e);
      if (done(e)) return events;
    }
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }

  #parse(): void {
    let end: number;
    while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let event = 'message';
      let id: string | undefined;
      const data: string[] = [];
      let any = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'id') id = value;
        else if (field === 'data') data.push(value);
        else continue;
        any = true;
      }
      if (any && data.length > 0) this.#queue.push({ event, id, data: data.join('\n') });
    }
  }
}
