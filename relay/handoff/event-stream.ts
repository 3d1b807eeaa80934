import { HttpError } from '../http/errors.ts';
import { type SseSink, sseResponse } from '../http/sse.ts';
import type { RelayMetrics } from '../metrics/registry.ts';
import type { RelayEvent } from '../../src/protocol/events.ts';
import type { Db } from '../store/types.ts';
import { type EventBus, Wakeup } from './event-bus.ts';
import { feedStart, readEvents, readFeed } from './event-log.ts';
import { nextMoment, SingleFlight } from './single-flight.ts';

export const HEARTBEAT_MS = 15_000;
const PAGE = 200;
/** Re-read delay while committed entries wait above the global feed's watermark (doubles up to the max). */
const HELD_RETRY_MS = 10;
const HELD_RETRY_MAX_MS = 250;

type FeedPage = Awaited<ReturnType<typeof readFeed>>;

/**
 * Page reads shared by the streams of one database handle (one relay): every stream woken by
 * one message asks for the same page after the same cursor, so they run one statement between
 * them instead of one each (see single-flight.ts for when a stream may join a read).
 */
const sharedReads = new WeakMap<Db, { conversation: SingleFlight<RelayEvent[]>; feed: SingleFlight<FeedPage> }>();
function readsOf(db: Db) {
  let reads = sharedReads.get(db);
  if (!reads) sharedReads.set(db, (reads = { conversation: new SingleFlight(), feed: new SingleFlight() }));
  return reads;
}

/** `Last-Event-ID` (sent by EventSource on reconnect) or `?lastEventId=` (after a page reload). */
export function lastEventIdFrom(header: string | undefined, query: string | undefined): string | null {
  const value = (header ?? query ?? '').trim();
  if (value === '') return null;
  if (!/^\d{1,19}$/.test(value)) throw new HttpError(400, 'invalid_last_event_id', 'Last-Event-ID must be an event id (digits).');
  return value;
}

export interface EventStreamOptions {
  db: Db;
  bus: EventBus;
  /** One conversation's events, or all (agent dashboard) when null. */
  conversationId: string | null;
  /** Replay after this id; null starts at 0 (device: whole history) or at the newest (dashboard). */
  afterId: string | null;
  shutdown?: AbortSignal | undefined;
  heartbeatMs?: number;
  /** Counts the stream as open (`relay_sse_streams`) while it runs. */
  metrics?: Pick<RelayMetrics, 'streamOpened'>;
}

/**
 * Replays the log after `afterId`, then follows it live. Each entry goes out with its log id
 * as the SSE id, so a reconnecting EventSource resumes exactly where it stopped: no loss, no
 * duplicates. A `ready` event (no id) marks the end of the replay.
 */
export function eventStream(options: EventStreamOptions): Response {
  const { db, bus, conversationId } = options;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  return sseResponse(async (sink) => {
    const closed = options.metrics?.streamOpened(conversationId ? 'device' : 'agent');
    try {
      await follow(sink);
    } finally {
      closed?.();
    }
  }, options.shutdown);

  async function follow(sink: SseSink): Promise<void> {
    const wakeup = new Wakeup();
    const unsubscribe = await bus.subscribe(conversationId, wakeup);
    try {
      let last = options.afterId ?? (conversationId ? '0' : await feedStart(db));
      let held = false;
      const reads = readsOf(db);
      // `since`: the moment after which the read must start (woken by a notification, or a timer).
      const read = async (since: number): Promise<readonly RelayEvent[]> => {
        const afterId = last;
        if (conversationId) {
          return reads.conversation.run(`${conversationId}:${afterId}`, since, () => readEvents(db, { conversationId, afterId, limit: PAGE }));
        }
        const page = await reads.feed.run(afterId, since, () => readFeed(db, { afterId, limit: PAGE }));
        held = page.held;
        return page.events;
      };
      const drain = async (since: number) => {
        for (;;) {
          const events = await read(since);
          for (const event of events) sink.send({ event: event.type, id: event.id, data: JSON.stringify(event) });
          if (events.length > 0) last = events[events.length - 1]!.id;
          if (events.length < PAGE || sink.signal.aborted) return;
        }
      };
      // Subscribed (notifications flow) before this moment: a read started after it misses nothing.
      await drain(nextMoment());
      sink.send({ event: 'ready', data: JSON.stringify({ lastEventId: last }) });
      let quietSince = Date.now();
      let retryMs = HELD_RETRY_MS;
      while (!sink.signal.aborted) {
        // Any read started after this one returned is newer than it (see `held` below).
        const readAt = nextMoment();
        // Entries held behind a running transaction: look again soon (its end sends no notification).
        const wokenAt = await wakeup.wait(held ? retryMs : heartbeatMs, sink.signal);
        retryMs = held ? Math.min(retryMs * 2, HELD_RETRY_MAX_MS) : HELD_RETRY_MS;
        if (sink.signal.aborted) break;
        // Woken: a read started after the wake-up. Held: any read newer than the one that said
        // held will do (there is no notification to miss; if still held, we look again), so the
        // dashboards that saw the same held page share one re-read instead of one each.
        // Heartbeat: a read started now (the poll covers notifications lost in a reconnect).
        const since = wokenAt ?? (held ? readAt : nextMoment());
        const before = last;
        await drain(since);
        if (before !== last) {
          quietSince = Date.now();
          retryMs = HELD_RETRY_MS;
        } else if (Date.now() - quietSince >= heartbeatMs) {
          sink.comment('ping');
          quietSince = Date.now();
        }
      }
    } finally {
      unsubscribe();
    }
  }
}
