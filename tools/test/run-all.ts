// `npm test`: typecheck, dependency rules, lint, unit tests, fixture models, production build,
// browser tests; then one closing line `N passed, N failed, N skipped` over every test (typecheck,
// dependency rules, lint and build count as one check each, so a broken build can never end in "0 failed").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const reportDir = resolve(root, 'test-results/reports');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };

function step(title: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n=== ${title} ===`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(title: string, ok: boolean): void {
  if (ok) total.passed += 1;
  else {
    total.failed += 1;
    console.log(`FAILED: ${title}`);
  }
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

check('typecheck', step('typecheck', 'npm', ['run', '--silent', 'typecheck']));
check('dependency rules', step('dependency rules (dependency-cruiser)', 'npm', ['run', '--silent', 'deps']));
check('lint', step('lint (ESLint, type-aware)', 'npm', ['run', '--silent', 'lint']));

const unitReport = resolve(reportDir, 'unit.json');
const unitOk = step('unit tests (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`]);
const unit = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(unitReport);
if (unit) {
  total.passed += unit.numPassedTests;
  total.failed += unit.numFailedTests;
  total.skipped += unit.numPendingTests + unit.numTodoTests;
}
// A suite that fails to load reports no failed test; count the run itself then.
if (!unitOk && (!unit || unit.numFailedTests === 0)) check('unit test run', false);

const prepared = step('fixture models', 'npm', ['run', '--silent', 'fixtures']) && step('production build', 'npm', ['run', '--silent', 'build']);
check('fixtures and build', prepared);

if (prepared) {
  const e2eReport = resolve(reportDir, 'e2e.json');
  const e2eOk = step('browser tests (Playwright + Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport,
  });
  const e2e = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(e2eReport);
  if (e2e) {
    total.passed += e2e.stats.expected + e2e.stats.flaky;
    total.failed += e2e.stats.unexpected;
    total.skipped += e2e.stats.skipped;
  }
  if (!e2eOk && (!e2e || e2e.stats.unexpected === 0)) check('browser test run', false);
}

console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed === 0 ? 0 : 1);
