// The caller's words on their way to the relay. The queue itself is part of the stored handoff
// (it must survive a reload), changed only through `enqueue` and `without`; the sender posts it
// in order, one at a time, and waits and tries again after a failure worth retrying. Posts are
// idempotent by `clientMessageId`, so a retry, or a post the relay already echoed, is harmless.
import type { PostMessageRequest } from '../protocol/device-api.ts';
import type { OutgoingMessage } from './handoff-storage.ts';
import { RelayError } from '../net/relay-error.ts';
import { retryDelay } from '../lib/retry.ts';

export function enqueue(outbox: readonly OutgoingMessage[], message: OutgoingMessage): OutgoingMessage[] {
  return [...outbox, message];
}

/** The outbox without `clientMessageId`; the same array when it was not there, so nothing changed. */
export function without(outbox: OutgoingMessage[], clientMessageId: string): OutgoingMessage[] {
  return outbox.some((m) => m.clientMessageId === clientMessageId) ? outbox.filter((m) => m.clientMessageId !== clientMessageId) : outbox;
}

/** What to post next, and where. */
export interface Outgoing {
  conversationId: string;
  token: string;
  message: OutgoingMessage;
}

export interface OutboxSenderOptions {
  /** The head of the outbox, or null when there is nothing to send (or no handoff to send to). */
  next: () => Outgoing | null;
  post: (conversationId: string, token: string, message: PostMessageRequest) => Promise<void>;
  /** Posted: take it off the outbox. */
  onSent: (clientMessageId: string) => void;
  /** Refused for good: take it off the outbox too. */
  onRefused: (clientMessageId: string, error: unknown) => void;
  /** Wait after the first failure; doubled after each further one, up to a minute. */
  retryDelayMs?: number;
}

const MAX_RETRY_DELAY_MS = 60_000;

export class OutboxSender {
  private sending = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** Failures worth retrying in a row; a post that goes through (or a kick) starts again from the base delay. */
  private failures = 0;

  constructor(private readonly options: OutboxSenderOptions) {}

  /** Sends what waits, unless a round is already under way (it picks up new words itself). */
  kick(): void {
    if (this.sending || this.disposed) return;
    clearTimeout(this.retryTimer);
    this.failures = 0;
    void this.sendAll();
  }

  /** The timer's try: like `kick`, but keeping the count of failures, so the waits grow. */
  private retry(): void {
    if (this.sending || this.disposed) return;
    void this.sendAll();
  }

  /** Forgets a pending retry; `kick` starts again. */
  stop(): void {
    clearTimeout(this.retryTimer);
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }

  private async sendAll(): Promise<void> {
    this.sending = true;
    try {
      let previous: Outgoing | null = null;
      for (;;) {
        const next = this.options.next();
        if (!next || this.disposed) return;
        // Sent but still at the head: whoever owns the outbox did not take it off; do not spin.
        if (previous && sameMessage(previous, next)) return;
        try {
          await this.options.post(next.conversationId, next.token, next.message);
        } catch (error) {
          if (this.disposed) return;
          if (error instanceof RelayError && error.retryable) {
            this.failures += 1;
            const delay = retryDelay(this.failures, { baseMs: this.options.retryDelayMs ?? 2000, maxMs: MAX_RETRY_DELAY_MS }, error.retryAfterMs);
            this.retryTimer = setTimeout(() => this.retry(), delay);
            return;
          }
          this.options.onRefused(next.message.clientMessageId, error);
          previous = next;
          continue;
        }
        if (this.disposed) return;
        this.failures = 0;
        this.options.onSent(next.message.clientMessageId);
        previous = next;
      }
    } finally {
      this.sending = false;
    }
  }
}

function sameMessage(a: Outgoing, b: Outgoing): boolean {
  return a.conversationId === b.conversationId && a.message.clientMessageId === b.message.clientMessageId;
}
