// What the benchmark needs before it starts, made here so one command works from a clean clone:
// the synthetic real-size models it runs (only those missing, not all ~0.9 GB) and a build of the
// app that is not older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../e2e/support/paths.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Generates those of `models` (ids under fixtures/realsize/) that are missing. */
export function ensureModels(log: (line: string) => void, models: readonly string[]): void {
  const missing = models.filter((id) => !existsSync(join(repoRoot, 'fixtures/realsize', id)));
  if (missing.length > 0 || !existsSync(join(repoRoot, 'fixtures/realsize/model-set.json'))) {
    log(`generating synthetic real-size models (npm run fixtures:realsize -- ${missing.join(' ')})...`);
    execFileSync('npm', ['run', 'fixtures:realsize', '--', ...missing], { cwd: repoRoot, stdio: 'inherit' });
  }
}

/** `models`: the ids the run loads from fixtures/realsize/ (each a folder there). */
export function prepare(log: (line: string) => void, models: readonly string[]): void {
  ensureModels(log, models);
  const built = join(repoRoot, 'dist/index.html');
  const stale = !existsSync(built) || newestMtime(join(repoRoot, 'src')) > statSync(built).mtimeMs;
  if (stale && process.env.BENCH_SKIP_BUILD !== '1') {
    log('building the app (vite build): dist/ is missing or older than src/...');
    execFileSync('npx', ['vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
}
