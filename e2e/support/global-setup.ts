import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { distDir, fixtureModelsDir, repoRoot } from './paths.ts';

// `npm test` builds and generates fixtures before the browser tests; this covers running
// `npx playwright test` on its own after a fresh clone.
export default function globalSetup(): void {
  const run = (args: string[]) => execFileSync('npm', args, { cwd: repoRoot, stdio: 'inherit' });
  if (!existsSync(resolve(fixtureModelsDir, 'manifest.json'))) run(['run', 'fixtures']);
  if (!existsSync(resolve(distDir, 'index.html'))) run(['run', 'build']);
}
