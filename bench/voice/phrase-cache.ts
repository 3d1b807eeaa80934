// `npx tsx bench/voice/phrase-cache.ts`: what the phrase audio cache saves with a Kokoro of real
// size. Serves the fixture ASR, LLM and turn model with the synthetic real-size Kokoro-82M
// (made if missing), lets the app fill the cache at idle time (each sentence's synthesis time
// and audio length), asks for a person, and reports how long the announcement took to come out
// of the cache and to become audible. Needs `npm run build` first (the relay serves dist/).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_SET } from '../../src/models/catalogue.ts';
import { launchBrowser } from '../../e2e/support/browser.ts';
import { repoRoot } from '../../e2e/support/paths.ts';
import { startServer } from '../../e2e/support/server.ts';
import { microphoneWav } from '../../e2e/support/speech.ts';
import type {} from '../../src/app/diagnostics.ts';

const KOKORO = 'synthetic/kokoro-82m';
const fixtures = join(repoRoot, 'fixtures/models');
const realsize = join(repoRoot, 'fixtures/realsize');

/** A mirror of the fixture models with the real-size Kokoro beside them (links, one merged manifest). */
function makeMirror(): string {
  if (!existsSync(join(realsize, KOKORO))) execFileSync('npm', ['run', 'fixtures:realsize', '--', KOKORO], { cwd: repoRoot, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'phrase-cache-bench-'));
  for (const folder of ['fixtures', 'silero-vad']) symlinkSync(join(fixtures, folder), join(dir, folder));
  symlinkSync(join(realsize, 'synthetic'), join(dir, 'synthetic'));
  const manifest = (root: string) => JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { models: unknown[] };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ models: [...manifest(fixtures).models, ...manifest(realsize).models] }));
  writeFileSync(join(dir, 'model-set.json'), JSON.stringify({ ...FIXTURE_SET, id: 'phrase-bench', label: 'Fixtures with real-size Kokoro', tts: KOKORO }));
  return dir;
}

const mirror = makeMirror();
const server = await startServer({ MODELS: mirror });
const { page, close } = await launchBrowser(server.url, { microphoneWav: microphoneWav([{ silence: 600 }]) });
try {
  await page.addInitScript(() => localStorage.setItem('hearth-settings', JSON.stringify({ state: { modelDownloadsApproved: true }, version: 1 })));
  await page.goto('/');
  await page.getByTestId('pipeline-state').and(page.locator('[data-state="listening"]')).waitFor({ timeout: 300_000 });
  const calls = () => page.evaluate(() => window.hearthDiagnostics!.ttsCalls());
  const sentences = await page.evaluate(async () => (await (await caches.open('hearth-phrase-audio-v1')).keys()).length);
  console.log(`models loaded; ${sentences} sentences already stored`);
  const deadline = Date.now() + 600_000;
  let prefills = (await calls()).filter((call) => call.purpose === 'prefill');
  while (prefills.length < 6 && Date.now() < deadline) {
    await page.waitForTimeout(1000);
    prefills = (await calls()).filter((call) => call.purpose === 'prefill');
  }
  console.log('\n| sentence | audio (s) | synthesis at idle (ms) | real-time factor |\n| --- | --- | --- | --- |');
  for (const call of prefills) console.log(`| ${call.text} | ${call.seconds!.toFixed(2)} | ${call.ms!.toFixed(0)} | ${(call.ms! / 1000 / call.seconds!).toFixed(2)} |`);
  const audioSeconds = prefills.reduce((sum, call) => sum + call.seconds!, 0);
  console.log(`\nstored: ${audioSeconds.toFixed(1)} s of audio, ${((audioSeconds * 24000 * 4) / 1e6).toFixed(2)} MB of float32 samples`);

  const before = (await calls()).length;
  const frames = () => page.evaluate(() => window.hearthDiagnostics!.renderedFrames());
  const framesBefore = await frames();
  const clickedAt = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Talk to a person' }).click();
  let audibleAt: number | undefined;
  while (audibleAt === undefined && Date.now() < deadline) {
    if ((await frames()) > framesBefore) audibleAt = await page.evaluate(() => performance.now());
  }
  const hit = (await calls()).slice(before).find((call) => call.text.startsWith('Connecting'));
  console.log(`\n"Connecting you to a person…": from ${hit?.from}, read in ${hit?.ms?.toFixed(1)} ms; click to first rendered frame ${(audibleAt! - clickedAt).toFixed(0)} ms (polled)`);
} finally {
  await close();
  await server.stop();
  rmSync(mirror, { recursive: true, force: true });
}
