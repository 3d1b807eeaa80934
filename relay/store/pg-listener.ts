import pg from 'pg';
import type { Unlisten } from './types.ts';

type Handler = { onPayload: (payload: string) => void; onReconnect?: () => void };

/**
 * One dedicated connection that LISTENs for every subscribed channel (a pooled client
 * cannot: LISTEN belongs to a session). When the connection drops it reconnects with
 * backoff, LISTENs again and tells subscribers, who re-read what they may have missed.
 */
export class PgListener {
  #handlers = new Map<string, Set<Handler>>();
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  #closed = false;
  #retryMs = 250;
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly config: pg.ClientConfig) {}

  async add(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<Unlisten> {
    const handler: Handler = onReconnect ? { onPayload, onReconnect } : { onPayload };
    let set = this.#handlers.get(channel);
    const first = !set;
    if (!set) this.#handlers.set(channel, (set = new Set()));
    set.add(handler);
    try {
      const client = await this.#connect();
      if (first) await client.query(`listen ${channel}`);
    } catch (err) {
      set.delete(handler);
      if (set.size === 0) this.#handlers.delete(channel);
      throw err;
    }
    return async () => {
      set.delete(handler);
      if (set.size > 0 || this.#handlers.get(channel) !== set) return;
      this.#handlers.delete(channel);
      await this.#client?.query(`unlisten ${channel}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = null;
    this.#handlers.clear();
    await client?.end().catch(() => {});
  }

  #connect(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    if (!this.#connecting) {
      this.#connecting = this.#open().finally(() => {
        this.#connecting = null;
      });
    }
    return this.#connecting;
  }

  async #open(): Promise<pg.Client> {
    const client = new pg.Client(this.config);
    client.on('notification', (msg) => {
      for (const handler of this.#handlers.get(msg.channel) ?? []) handler.onPayload(msg.payload ?? '');
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    await client.connect();
    for (const channel of this.#handlers.keys()) await client.query(`listen ${channel}`);
    this.#client = client;
    this.#retryMs = 250;
    return client;
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = null;
    client.end().catch(() => {});
    if (!this.#closed) this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#connect().then(
        () => {
          for (const set of this.#handlers.values()) for (const handler of set) handler.onReconnect?.();
        },
        () => {
          this.#retryMs = Math.min(this.#retryMs * 2, 10_000);
          this.#scheduleReconnect();
        },
      );
    }, this.#retryMs);
    this.#timer.unref();
  }
}
