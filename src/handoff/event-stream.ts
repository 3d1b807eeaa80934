// The conversation's SSE stream, resumed across dropped connections and page reloads without
// losing or repeating an event. EventSource reconnects by itself after a network drop and sends
// `Last-Event-ID`; when it gives up (an HTTP error closes it for good) this reopens it with
// `?lastEventId=`. Either way each event is delivered once, in order: anything at or before the
// last delivered id is dropped.
import { RelayEventSchema, type RelayEvent } from '../protocol/events.ts';
import { isNewer } from './event-ids.ts';

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
  /** Where to connect, resuming after `lastEventId` (null: from the start). */
  url: (lastEventId: string | null) => string;
  lastEventId: string | null;
  /** Each new event, once, in order. */
  onEvent: (event: RelayEvent) => void;
  /** The replay is over: everything logged so far has been delivered. */
  onReady?: () => void;
  /** The stream was closed by an error and will be reopened; `attempt` counts from 1. */
  onBroken?: (attempt: number) => void;
  createEventSource?: EventSourceFactory;
  /** Delay before reopening after the `attempt`th failure. */
  retryDelayMs?: (attempt: number) => number;
}

const defaultDelay = (attempt: number) => Math.min(15_000, 1000 * 2 ** (attempt - 1));

export class ConversationStream {
  private source: EventSourceLike | null = null;
  private last: string | null;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly options: ConversationStreamOptions) {
    this.last = options.lastEventId;
  }

  get lastEventId(): string | null {
    return this.last;
  }

  open(): this {
    if (this.closed) return this;
    const create = this.options.createEventSource ?? ((url: string) => new EventSource(url));
    const source = create(this.options.url(this.last));
    this.source = source;
    for (const type of EVENT_TYPES) source.addEventListener(type, (event) => this.receive(event.data));
    source.addEventListener('ready', () => {
      this.attempts = 0;
      this.options.onReady?.();
    });
    source.onerror = () => {
      // CONNECTING: the browser is already reconnecting (with Last-Event-ID). CLOSED: it gave up.
      if (source.readyState !== CLOSED || this.source !== source) return;
      source.close();
      this.source = null;
      this.scheduleReopen();
    };
    return this;
  }

  /** Reconnects now (e.g. the device came back online), resuming after the last event. */
  reconnect(): void {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
    this.open();
  }

  close(): void {
    this.closed = true;
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
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private receive(data: string): void {
    if (this.closed) return;
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
