import type { Db } from '../store/types.ts';

/** A database stand-in for tests that never touch data (static files, headers): starts instantly. */
export function fakeDb(kind: Db['kind'] = 'pglite'): Db & { up: boolean } {
  const fake = {
    kind,
    up: true,
    async query() {
      throw new Error('fakeDb has no data');
    },
    async exec() {},
    async notify() {},
    async transaction<T>(): Promise<T> {
      throw new Error('fakeDb has no data');
    },
    async listen() {
      return async () => {};
    },
    async ping() {
      return fake.up;
    },
    async close() {},
  };
  return fake;
}
