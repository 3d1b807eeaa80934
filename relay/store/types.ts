// The one database interface the relay uses, whether the engine is embedded PGlite or a
// PostgreSQL server: same SQL dialect, same schema, same migrations.

export type SqlParam = string | number | boolean | null | Date | bigint | SqlParam[] | { [key: string]: unknown };

export interface QueryResult<R> {
  rows: R[];
  /** Rows inserted, updated or deleted (0 for a select). */
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Prepare the statement once per connection under this name and reuse it (PostgreSQL; PGlite
   * ignores it). One name, one SQL text: for hot statements whose text never changes.
   */
  name?: string;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** NOTIFY; inside a transaction it is delivered on commit, and not at all on rollback. */
  notify(channel: string, payload: string): Promise<void>;
}

export type Unlisten = () => Promise<void>;

/** A connection pool's use right now (PostgreSQL; PGlite is one connection, no pool). */
export interface PoolStats {
  /** Connections the pool may open. */
  max: number;
  /** Connections open, busy or idle. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a NOTIFY channel. On PostgreSQL this sees notifications from every relay
   * process on the database. `onReconnect` is called after a lost listening connection came
   * back: notifications sent meanwhile are gone, so subscribers should re-read what they need.
   */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<Unlisten>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /** The connection pool's use (PostgreSQL only). */
  poolStats?(): PoolStats;
  close(): Promise<void>;
}
