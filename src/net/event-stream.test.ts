import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RelayEvent } from '../protocol/events.ts';
import { compareEventIds } from './event-ids.ts';
import { ConversationStream, type EventSourceLike } from './event-stream.ts';

const CONVERSATION = '6f1c2b7e-3d4a-4f5b-9c8d-1e2f3a4b5c6d';

class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: unknown): void {
    this.readyState = 1;
    for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data) } as MessageEvent<string>);
  }
  /** A network drop: the browser keeps the source and reconnects by itself. */
  drop(): void {
    this.readyState = 0;
    this.onerror?.(new Event('error'));
  }
  /** An HTTP error: the browser gives up on the source. */
  fail(): void {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
}

function message(id: number, text: string): RelayEvent {
  return {
    id: String(id),
    conversationId: CONVERSATION,
    at: '2025-01-01T12:00:00.000Z',
    type: 'message',
    data: { author: 'agent', text, agent: { id: 'a1', name: 'Alex' } },
  };
}

function setup(lastEventId: string | null = null) {
  const sources: FakeEventSource[] = [];
  const delivered: string[] = [];
  const broken: number[] = [];
  const stream = new ConversationStream({
    url: (last) => `/events?token=t${last ? `&lastEventId=${last}` : ''}`,
    lastEventId,
    onEvent: (event) => delivered.push(`${event.id}:${event.type === 'message' ? event.data.text : event.type}`),
    onBroken: (attempt) => broken.push(attempt),
    createEventSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    retryDelayMs: () => 1000,
  }).open();
  const current = () => sources.at(-1)!;
  return { stream, sources, delivered, broken, current };
}

describe('the conversation event stream', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers each event once, in order, and drops replays of ones already seen', () => {
    const t = setup();
    expect(t.current().url).toBe('/events?token=t');
    t.current().emit('message', message(5, 'Hello'));
    t.current().emit('message', message(7, 'How can I help?'));
    // The relay (or a proxy) repeats events across a reconnect: they are not delivered twice.
    t.current().drop();
    t.current().emit('message', message(5, 'Hello'));
    t.current().emit('message', message(7, 'How can I help?'));
    t.current().emit('message', message(9, 'Still there?'));
    expect(t.delivered).toEqual(['5:Hello', '7:How can I help?', '9:Still there?']);
    expect(t.stream.lastEventId).toBe('9');
    expect(t.sources).toHaveLength(1); // the browser reconnected the same source
  });

  it('resumes after the last event when the browser gives up on the connection', () => {
    const t = setup();
    t.current().emit('message', message(12, 'One'));
    t.current().fail();
    expect(t.broken).toEqual([1]);
    expect(t.sources).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(t.sources).toHaveLength(2);
    expect(t.sources[0]?.closed).toBe(true);
    expect(t.current().url).toBe('/events?token=t&lastEventId=12');
    t.current().emit('message', message(13, 'Two'));
    expect(t.delivered).toEqual(['12:One', '13:Two']);
  });

  it('starts after a stored id (a page reload)', () => {
    const t = setup('41');
    expect(t.current().url).toBe('/events?token=t&lastEventId=41');
    t.current().emit('message', message(41, 'old'));
    t.current().emit('message', message(42, 'new'));
    expect(t.delivered).toEqual(['42:new']);
  });

  it('counts failures until a replay completes, and stops for good when closed', () => {
    const t = setup();
    t.current().fail();
    vi.advanceTimersByTime(1000);
    t.current().fail();
    expect(t.broken).toEqual([1, 2]);
    vi.advanceTimersByTime(1000);
    t.current().emit('ready', { lastEventId: '0' });
    t.current().fail();
    expect(t.broken).toEqual([1, 2, 1]);
    t.stream.close();
    vi.advanceTimersByTime(5000);
    expect(t.sources).toHaveLength(3);
    t.current().emit('message', message(1, 'after close'));
    expect(t.delivered).toEqual([]);
  });

  it('ignores what is not a valid event', () => {
    const t = setup();
    t.current().emit('message', { id: 'x', nope: true });
    t.current().emit('message', message(3, 'fine'));
    expect(t.delivered).toEqual(['3:fine']);
  });
});

describe('a stream with single-use URLs (stream tickets)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function ticketed(options: { failTickets?: number } = {}) {
    const sources: FakeEventSource[] = [];
    const delivered: string[] = [];
    const broken: number[] = [];
    let tickets = 0;
    let failures = options.failTickets ?? 0;
    const stream = new ConversationStream({
      url: async (last) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('offline');
        }
        tickets += 1;
        return `/events?ticket=t${tickets}${last ? `&lastEventId=${last}` : ''}`;
      },
      singleUse: true,
      lastEventId: null,
      onEvent: (event) => delivered.push(event.id),
      onBroken: (attempt) => broken.push(attempt),
      createEventSource: (url) => {
        const source = new FakeEventSource(url);
        sources.push(source);
        return source;
      },
    }).open();
    return { stream, sources, delivered, broken, current: () => sources.at(-1)! };
  }

  it('reconnects itself after a network drop, with a new ticket and the resume point, backing off', async () => {
    const t = ticketed();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.current().url).toBe('/events?ticket=t1');
    t.current().emit('message', message(12, 'One'));
    // The browser would retry the same (spent) URL: the stream closes it instead.
    t.current().drop();
    expect(t.sources[0]?.closed).toBe(true);
    expect(t.broken).toEqual([1]);
    await vi.advanceTimersByTimeAsync(999);
    expect(t.sources).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.current().url).toBe('/events?ticket=t2&lastEventId=12');
    t.current().fail();
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.broken).toEqual([1, 2]);
    expect(t.current().url).toBe('/events?ticket=t3&lastEventId=12');
    t.current().emit('message', message(12, 'One'));
    t.current().emit('message', message(13, 'Two'));
    expect(t.delivered).toEqual(['12', '13']);
  });

  it('counts a ticket that cannot be had as a failure, and tries again', async () => {
    const t = ticketed({ failTickets: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.broken).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1000 + 2000);
    expect(t.broken).toEqual([1, 2]);
    expect(t.current().url).toBe('/events?ticket=t1');
    t.current().emit('ready', { lastEventId: '0' });
    t.current().drop();
    expect(t.broken).toEqual([1, 2, 1]);
  });

  it('reconnects at once when asked, and never opens a source after closing, even for a ticket still on its way', async () => {
    const t = ticketed();
    await vi.advanceTimersByTimeAsync(0);
    t.stream.reconnect();
    expect(t.sources[0]?.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.current().url).toBe('/events?ticket=t2');
    t.stream.reconnect();
    t.stream.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.sources).toHaveLength(2);
  });
});

describe('event ids', () => {
  it('compare as big numbers', () => {
    expect(compareEventIds('10', '9')).toBeGreaterThan(0);
    expect(compareEventIds('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
    expect(compareEventIds('5', '5')).toBe(0);
    expect(compareEventIds('007', '8')).toBeLessThan(0);
  });
});
