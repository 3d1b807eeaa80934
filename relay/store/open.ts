import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import { migrate } from './migrate.ts';
import { ensureEventIdsAhead } from '../handoff/event-log.ts';
import type { Db } from './types.ts';

/** Opens the configured database and brings its schema up to date. */
export async function openStore(options: { databaseUrl?: string | undefined; dataDir?: string | undefined }): Promise<Db> {
  const db = options.databaseUrl
    ? await openPostgres({ connectionString: options.databaseUrl })
    : await openPglite(options.dataDir);
  try {
    await migrate(db);
    // After a dump was restored into another cluster, new event ids must still come after the old.
    await ensureEventIdsAhead(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
