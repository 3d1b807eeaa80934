// The relay's event stream for the handoff under way, one at a time. Its URL carries a
// single-use ticket instead of the conversation's token (URLs end up in logs), so every
// (re)connect asks the relay for a new ticket and resumes after the last event handled.
import type { ConversationStreamOptions } from '../net/event-stream.ts';
import type { StoredHandoff } from './handoff-storage.ts';
import type { DeviceRelay } from './relay-client.ts';
import type { RelayEvent } from '../protocol/events.ts';

export interface StreamHandle {
  close(): void;
  reconnect(): void;
}

export type OpenStream = (options: ConversationStreamOptions) => StreamHandle;

export interface StreamListener {
  onEvent(event: RelayEvent): void;
  /** The stream failed `attempt` times in a row; it reconnects by itself. */
  onBroken(attempt: number): void;
}

export class HandoffStream {
  private current: StreamHandle | null = null;

  constructor(
    private readonly open: OpenStream,
    private readonly relay: Pick<DeviceRelay, 'streamUrl'>,
  ) {}

  /** Follows `handoff`'s conversation after its last event id, instead of any earlier one. */
  follow(handoff: StoredHandoff, listener: StreamListener): void {
    this.close();
    const { conversationId, token } = handoff;
    this.current = this.open({
      url: (lastEventId) => this.relay.streamUrl(conversationId, token, lastEventId),
      singleUse: true,
      lastEventId: handoff.lastEventId,
      onEvent: (event) => listener.onEvent(event),
      onBroken: (attempt) => listener.onBroken(attempt),
    });
  }

  /** Now, rather than after the backoff (the network is back). */
  reconnect(): void {
    this.current?.reconnect();
  }

  close(): void {
    this.current?.close();
    this.current = null;
  }
}
