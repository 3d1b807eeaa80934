import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult, SqlParam } from './types.ts';
import { acquireDirLock } from './dir-lock.ts';
import { channelName } from './channel.ts';

function wrap(target: PGlite | Transaction): Queryable {
  return {
    async query<R>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<R>> {
      const result = await target.query<R>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
    async exec(sql) {
      await target.exec(sql);
    },
    async notify(channel, payload) {
      await target.query('select pg_notify($1, $2)', [channelName(channel), payload]);
    },
  };
}

/**
 * Embedded PostgreSQL (PGlite, WebAssembly): the default, so `npm start` needs no server.
 * `dataDir` undefined keeps everything in memory (tests). PGlite is one connection in one
 * process, so a lock file keeps a second process (a CLI, another relay) off the same folder.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  let release = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = acquireDirLock(dataDir);
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir);
  } catch (err) {
    release();
    throw err;
  }
  const base = wrap(pg);
  return {
    kind: 'pglite',
    ...base,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    // One process: a NOTIFY reaches its own listeners, which is all there is to reach.
    async listen(channel, onPayload) {
      const unlisten = await pg.listen(channelName(channel), onPayload);
      return () => unlisten();
    },
    async ping() {
      try {
        await pg.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      try {
        if (!pg.closed) await pg.close();
      } finally {
        release();
      }
    },
  };
}
