// A conversation's SSE stream, resumed across dropped connections and page reloads without
// losing or repeating an event: anything at or before the last delivered id is dropped.
//
// Reusable URLs (the dashboard's, authorised by its cookie) let EventSource reconnect by itself
// after a network drop, sending `Last-Event-ID`; only when it gives up (an HTTP error) does this
// reopen the stream with `?lastEventId=`. A single-use URL (the device's, carrying a stream
// ticket) would be refused on EventSource's own retry, so then every error closes the source
// and this reopens it with backoff through a fresh URL, which is where the resume point goes.
import { RelayEventSchema, type RelayEvent } from '../protocol/events.ts';
import { isNewer } from './event-ids.ts';
import { backoffDelay } from '../lib/retry.ts';

/** The part of EventSource this needs, so tests can drive it. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

const CLOSED = 2;
const EVENT_TYPES = ['handoff', 'message', 'state'] as const;

export interface ConversationStreamOptions {
  /**
   * Where to connect, resuming after `lastEventId` (null: from the start). Asked again before
   * every reopen; a promise when the URL has to be fetched (a stream ticket).
   */
  url: (lastEventId: string | null) => string | Promise<string>;
  /** The URL works once: never let EventSource retry it. */
  singleUse?: boolean;
  lastEventId: string | null;
  /** Each new event, once, in order. */
  onEvent: (event: RelayEvent) => void;
  /** The replay is over: everything logged so far has been delivered. */
  onReady?: () => void;
  /** The stream (or fetching its URL) failed and will be reopened; `attempt` counts from 1. */
  onBroken?: (attempt: number) => void;
  createEventSource?: EventSourceFactory;
  /** Delay before reopening after the `attempt`th failure. */
  retryDelayMs?: (attempt: number) => number;
}

// The stream must come back however long the outage: no limit on tries, only on the wait.
const defaultDelay = (attempt: number) => backoffDelay(attempt, { baseMs: 1000, maxMs: 15_000 });

export class ConversationStream {
  private source: EventSourceLike | null = null;
  private last: string | null;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** Bumped by every open and close, so a URL that arrives late for an abandoned open is dropped. */
  private generation = 0;

  constructor(private readonly options: ConversationStreamOptions) {
    this.last = options.lastEventId;
  }

  get lastEventId(): string | null {
    return this.last;
  }

  open(): this {
    if (this.closed) return this;
    const generation = (this.generation += 1);
    let url: string | Promise<string>;
    try {
      url = this.options.url(this.last);
    } catch {
      this.scheduleReopen();
      return this;
    }
    if (typeof url === 'string') this.connect(url);
    else {
      url.then(
        (resolved) => {
          if (generation === this.generation && !this.closed) this.connect(resolved);
        },
        () => {
          if (generation === this.generation) this.scheduleReopen();
        },
      );
    }
    return this;
  }

  /** Reconnects now (e.g. the device came back online), resuming after the last event. */
  reconnect(): void {
    if (this.closed) return;
    this.drop();
    this.open();
  }

  close(): void {
    this.closed = true;
    this.drop();
  }

  private connect(url: string): void {
    const create: EventSourceFactory = this.options.createEventSource ?? ((u: string) => new EventSource(u));
    const source = create(url);
    this.source = source;
    for (const type of EVENT_TYPES) source.addEventListener(type, (event) => this.receive(source, event.data));
    source.addEventListener('ready', () => {
      if (this.source !== source) return;
      this.attempts = 0;
      this.options.onReady?.();
    });
    source.onerror = () => {
      if (this.source !== source) return;
      // CONNECTING: the browser is already reconnecting with the same URL (and Last-Event-ID),
      // which is fine unless that URL is spent. CLOSED: it gave up.
      if (source.readyState !== CLOSED && !this.options.singleUse) return;
      source.close();
      this.source = null;
      this.scheduleReopen();
    };
  }

  private drop(): void {
    this.generation += 1;
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
  }

  private scheduleReopen(): void {
    if (this.closed) return;
    this.attempts += 1;
    this.options.onBroken?.(this.attempts);
    if (this.closed) return;
    const delay = (this.options.retryDelayMs ?? defaultDelay)(this.attempts);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private receive(source: EventSourceLike, data: string): void {
    if (this.closed || this.source !== source) return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = RelayEventSchema.safeParse(json);
    if (!parsed.success) return;
    const event = parsed.data;
    if (!isNewer(event.id, this.last)) return;
    this.last = event.id;
    this.options.onEvent(event);
  }
}
