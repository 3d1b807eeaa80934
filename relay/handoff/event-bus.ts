import type { Db, Unlisten } from '../store/types.ts';
import { EVENTS_CHANNEL } from './event-log.ts';
import { nextMoment } from './single-flight.ts';

/**
 * A wake-up flag: `wait` returns at once if woken since the last wait, else on wake or timeout.
 * It resolves with the latest wake-up's moment (`nextMoment()`, single-flight.ts), taken when
 * `wake` ran: the caller's next read must start after it. Taken there, not when the waiter
 * resumes, so every stream woken by one notification can share one read started after all of
 * them were woken. Resolves with null on timeout or abort.
 */
export class Wakeup {
  #wokenAt: number | null = null;
  #resolve: (() => void) | null = null;

  wake(): void {
    this.#wokenAt = nextMoment();
    this.#resolve?.();
  }

  wait(ms: number, signal: AbortSignal): Promise<number | null> {
    if (this.#wokenAt !== null || signal.aborted) return Promise.resolve(this.#take());
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#resolve = null;
        resolve(this.#take());
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.#resolve = done;
    });
  }

  #take(): number | null {
    const at = this.#wokenAt;
    this.#wokenAt = null;
    return at;
  }
}

interface Subscriber {
  conversationId: string | null;
  wakeup: Wakeup;
}

/**
 * Tells open streams that the log has something new. Notifications carry only ids: a woken
 * stream re-reads the log after its last id, so a lost or duplicated notification can
 * never lose or duplicate an event (the log is the truth; the bus only saves polling).
 * LISTEN runs only while someone subscribes.
 */
export class EventBus {
  #subscribers = new Set<Subscriber>();
  #listening: Promise<Unlisten | null> | null = null;

  constructor(private readonly db: Db) {}

  /** Resolves once notifications are flowing, so a read after it cannot miss a later event. */
  async subscribe(conversationId: string | null, wakeup: Wakeup): Promise<() => void> {
    const subscriber = { conversationId, wakeup };
    this.#subscribers.add(subscriber);
    this.#listening ??= this.db
      .listen(EVENTS_CHANNEL, (payload) => this.#deliver(payload), () => this.#wakeAll())
      // Without notifications streams still poll; a database hiccup must not fail a stream.
      .catch(() => null);
    await this.#listening;
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size > 0 || !this.#listening) return;
      const listening = this.#listening;
      this.#listening = null;
      void listening.then((unlisten) => unlisten?.()).catch(() => {});
    };
  }

  get size(): number {
    return this.#subscribers.size;
  }

  #deliver(payload: string): void {
    let conversationId: unknown;
    try {
      conversationId = (JSON.parse(payload) as { c?: unknown }).c;
    } catch {
      return this.#wakeAll();
    }
    for (const s of this.#subscribers) if (s.conversationId === null || s.conversationId === conversationId) s.wakeup.wake();
  }

  #wakeAll(): void {
    for (const s of this.#subscribers) s.wakeup.wake();
  }
}
