import { randomBytes } from 'node:crypto';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { dropSchema, openPostgres } from './postgres.ts';
import type { Db } from './types.ts';

// Test support: the same suites run on embedded PGlite and on a PostgreSQL server.

export const CI_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** `TEST_DATABASE_URL`, or under `CI=true` the CI default: CI never silently skips PostgreSQL. */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TEST_DATABASE_URL?.trim() || (env.CI === 'true' ? CI_DATABASE_URL : undefined);
}

export interface TestDatabase {
  db: Db;
  /** Another connection to the same database, as a second relay process would have (PostgreSQL only). */
  connectAgain?: () => Promise<Db>;
  /** Closes every connection and, on PostgreSQL, drops the test's schema. */
  cleanup: () => Promise<void>;
}

export interface StoreKind {
  kind: 'pglite' | 'postgres';
  /** Why this kind is skipped here, or null when it runs. */
  skip: string | null;
  open: () => Promise<TestDatabase>;
}

let warned = false;

async function openPgliteTest(): Promise<TestDatabase> {
  const db = await openPglite();
  await migrate(db);
  return { db, cleanup: () => db.close() };
}

async function openPostgresTest(url: string): Promise<TestDatabase> {
  // A fresh schema per test file: files run in parallel on one database without meeting.
  const schema = `relay_test_${randomBytes(6).toString('hex')}`;
  const opened: Db[] = [];
  const connect = async () => {
    const db = await openPostgres({ connectionString: url, schema, max: 5 });
    opened.push(db);
    return db;
  };
  const db = await connect();
  await migrate(db);
  return {
    db,
    connectAgain: connect,
    cleanup: async () => {
      await Promise.all(opened.map((d) => d.close()));
      await dropSchema(url, schema);
    },
  };
}

/** Both store kinds, for `describe.each`; PostgreSQL carries a skip reason when no URL is set. */
export function storeKinds(): StoreKind[] {
  const url = testDatabaseUrl();
  const skip = url ? null : 'TEST_DATABASE_URL is not set (and CI is not true): skipping the PostgreSQL runs';
  if (skip && !warned) {
    warned = true;
    console.warn(`[relay tests] ${skip}`);
  }
  return [
    { kind: 'pglite', skip: null, open: openPgliteTest },
    { kind: 'postgres', skip, open: () => (url ? openPostgresTest(url) : Promise.reject(new Error(skip ?? ''))) },
  ];
}
