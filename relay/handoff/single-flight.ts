/**
 * Coalescing of identical concurrent log reads inside one relay process.
 *
 * One agent message wakes every open stream that shows it: in the fan-out benchmark 25 device
 * streams on that conversation and 25 dashboards, each of which used to run its own read (and the
 * dashboards a watermark query each) for the same page after the same cursor: ~75 statements per
 * message, all returning the same row. `SingleFlight` lets the streams that need the same page
 * share one statement.
 *
 * Sharing must never hand a stream a page that is older than what it is waiting for: a read that
 * began before the commit that woke the stream may not contain that commit's entry, and nothing
 * would wake the stream again for it until the heartbeat poll (15 s). So a stream states *when* it
 * needed fresh data as a moment (`nextMoment()`: taken when it was woken, or when its timer ran
 * out), and joins a read in flight only if that read started after that moment; otherwise it
 * starts its own (which later askers may join). A read "starts" when its statement is handed to
 * the database, which runs it (and takes its snapshot) no earlier than that, so it sees every
 * commit whose notification arrived before.
 *
 * Moments are a strictly increasing counter per process, not timestamps: two events in the same
 * millisecond (or a clock step) would make "started after" ambiguous; a counter cannot tie.
 */

let lastMoment = 0;

/** A fresh moment, later than every moment and read start before it in this process. */
export function nextMoment(): number {
  lastMoment += 1;
  return lastMoment;
}

export class SingleFlight<T> {
  #inFlight = new Map<string, { startedAt: number; result: Promise<T> }>();

  /**
   * The result of `read()` for `key`: shared with a read of the same key already in flight if
   * that one started after `since` (a moment from `nextMoment()`), else from a new read. Callers
   * share the resolved value: they must not modify it.
   */
  run(key: string, since: number, read: () => Promise<T>): Promise<T> {
    const current = this.#inFlight.get(key);
    if (current && current.startedAt > since) return current.result;
    const entry = { startedAt: nextMoment(), result: read() };
    // A newer read replaces an older one still in flight: later askers join the newer one.
    this.#inFlight.set(key, entry);
    const done = () => {
      if (this.#inFlight.get(key) === entry) this.#inFlight.delete(key);
    };
    entry.result.then(done, done);
    return entry.result;
  }

  /** Reads in flight (for tests). */
  get size(): number {
    return this.#inFlight.size;
  }
}
