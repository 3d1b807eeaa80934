import pg from 'pg';
import type { Db, Queryable, QueryOptions, QueryResult, SqlParam } from './types.ts';
import { channelName } from './channel.ts';
import { PgListener } from './pg-listener.ts';

export interface PostgresOptions {
  connectionString: string;
  /** Use this schema (created if missing) instead of `public`: tests and shared databases. */
  schema?: string;
  /** Pool size; the relay holds few long queries, so a small pool goes far. */
  max?: number;
}

function wrap(client: pg.Pool | pg.PoolClient, namespace: string): Queryable {
  return {
    async query<R>(sql: string, params: readonly SqlParam[] = [], options: QueryOptions = {}): Promise<QueryResult<R>> {
      const values = params as unknown[];
      const result = options.name ? await client.query({ name: options.name, text: sql, values }) : await client.query(sql, values);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql) {
      await client.query(sql);
    },
    async notify(channel, payload) {
      await client.query('select pg_notify($1, $2)', [channelName(channel, namespace), payload]);
    },
  };
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid schema name: ${name}`);
  return `"${name}"`;
}

/** A PostgreSQL server via `DATABASE_URL`: several relay processes can share it. */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const schema = options.schema;
  const config: pg.PoolConfig = {
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // search_path per connection keeps every query unqualified, whatever the schema.
    ...(schema ? { options: `-c search_path=${quoteIdent(schema)}` } : {}),
  };
  const pool = new pg.Pool(config);
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (err) => console.error('[relay] PostgreSQL idle client error:', err.message));
  if (schema) await pool.query(`create schema if not exists ${quoteIdent(schema)}`);
  else await pool.query('select 1');

  const namespace = schema ?? '';
  const listener = new PgListener(config);
  const base = wrap(pool, namespace);
  return {
    kind: 'postgres',
    ...base,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client, namespace));
        await client.query('commit');
        client.release();
        return result;
      } catch (err) {
        try {
          await client.query('rollback');
          client.release();
        } catch {
          client.release(true);
        }
        throw err;
      }
    },
    listen: (channel, onPayload, onReconnect) => listener.add(channelName(channel, namespace), onPayload, onReconnect),
    poolStats: () => ({ max: config.max!, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

/** Drops a schema made by `openPostgres({ schema })` (test cleanup). */
export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
  } finally {
    await client.end();
  }
}
