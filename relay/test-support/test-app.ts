import { createApp, type AppDeps } from '../app.ts';
import { resolveModels } from '../models/resolve-models.ts';
import { fakeDb } from './fake-db.ts';
import { makeDist } from './temp-dirs.ts';

/** The relay with no database behind it, for tests of files and headers. */
export function staticApp(overrides: Partial<AppDeps> = {}) {
  return createApp({
    db: fakeDb(),
    models: resolveModels(undefined),
    distDir: makeDist(),
    log: () => {},
    ...overrides,
  });
}
