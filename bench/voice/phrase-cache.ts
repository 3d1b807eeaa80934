// `npx tsx bench/voice/phrase-cache.ts`: what the phrase audio cache saves with a Kokoro of real
// size. Serves the fixture ASR, LLM and turn model with the synthetic real-size Kokoro-82M
// (made if missing), reports what the app filled at idle time in the first minute (each
// sentence's synthesis time and audio length; nothing where the TTS is slower than the fill's
// limit), then asks for a person, goes back, and asks again, timing each announcement from the
// click to its first rendered frame and saying whether it came from the cache or the TTS. Needs
// `npm run build` first (the relay serves dist/).
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
  const frames = () => page.evaluate(() => window.hearthDiagnostics!.renderedFrames());

  // The fill runs only where the TTS is fast enough (MAX_PREFILL_REAL_TIME_FACTOR); give it a minute.
  const deadline = Date.now() + 60_000;
  let prefills = (await calls()).filter((call) => call.purpose === 'prefill');
  while (prefills.length < 6 && Date.now() < deadline) {
    await page.waitForTimeout(1000);
    prefills = (await calls()).filter((call) => call.purpose === 'prefill');
  }
  console.log(`\nfill at idle in the first minute after the models loaded: ${prefills.length} sentences`);
  if (prefills.length > 0) {
    console.log('\n| sentence | audio (s) | synthesis at idle (ms) | real-time factor |\n| --- | --- | --- | --- |');
    for (const call of prefills) console.log(`| ${call.text} | ${call.seconds!.toFixed(2)} | ${call.ms!.toFixed(0)} | ${(call.ms! / 1000 / call.seconds!).toFixed(2)} |`);
  }

  /** Presses `button` and times from the click to the first rendered frame of the announcement it speaks. */
  async function announce(button: string, sentence: string): Promise<void> {
    const before = (await calls()).length;
    const framesBefore = await frames();
    const clickedAt = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: button }).click();
    let audibleAt: number | undefined;
    const until = Date.now() + 120_000;
    while (audibleAt === undefined && Date.now() < until) {
      if ((await frames()) > framesBefore) audibleAt = await page.evaluate(() => performance.now());
    }
    const call = (await calls()).slice(before).find((record) => record.text === sentence);
    console.log(`| ${button} | ${sentence} | ${call?.from ?? '?'} | ${audibleAt === undefined ? 'not heard' : (audibleAt - clickedAt).toFixed(0)} |`);
    // Let the announcement play out before the next press.
    await page.waitForTimeout(6000);
  }
  console.log('\n| press | first sentence | from | click to first rendered frame (ms) |\n| --- | --- | --- | --- |');
  await announce('Talk to a person', 'Connecting you to a person…');
  await announce('Back to the assistant', "You're back with the assistant.");
  await announce('Talk to a person', 'Connecting you to a person…');
} finally {
  await close();
  await server.stop();
  rmSync(mirror, { recursive: true, force: true });
}
