import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './support/test.ts';
import { launchBrowser } from './support/browser.ts';
import { renderedSeconds } from './support/diagnostics.ts';
import { fixtureModelsDir } from './support/paths.ts';
import { startServer } from './support/server.ts';
import { microphoneWav } from './support/speech.ts';

// Model management in Chromium with the fixture models: the first-visit offer with sizes, the
// model store's resumable, verified downloads into the libraries' own caches, the storage
// check, repair of a damaged cache entry, the model manager, and a spoken turn fully offline.

interface ManifestFile {
  path: string;
  bytes: number;
}
const manifest = JSON.parse(readFileSync(join(fixtureModelsDir, 'manifest.json'), 'utf8')) as { models: { id: string; files: ManifestFile[] }[] };
const filesOf = (id: string) => manifest.models.find((model) => model.id === id)!.files;
const bytesOf = (id: string, paths: string[]) => filesOf(id).filter((f) => paths.includes(f.path)).reduce((sum, f) => sum + f.bytes, 0);

// What the wasm plan loads of each fixture (ASR fp32/q8, LLM q8, TTS q8 with the default voice).
const ASR_FILES = ['config.json', 'generation_config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/encoder_model.onnx', 'onnx/decoder_model_merged_quantized.onnx'];
const LLM_GRAPH = 'onnx/model_quantized.onnx';
const LLM_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', LLM_GRAPH];
const TTS_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx', 'voices/af_heart.bin'];
const TURN_FILES = ['smart-turn-v3.2-cpu.onnx'];
const LLM_GRAPH_URL = '**/models/fixtures/chat-lm/onnx/model_quantized.onnx';

/** Sizes as the app words them (decimal units, formatBytes in src/models/store/storage-space.ts). */
function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}

async function sendTyped(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Type a message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** The fixture LM's reply, shown as it is written and spoken. */
async function expectReply(page: Page): Promise<void> {
  await expect(page.getByRole('region', { name: 'Conversation' }).getByText(/capital of France is Paris/).last()).toBeVisible({ timeout: 90_000 });
}

test('the first visit says how much it will download, then shows each model arriving', async ({ openApp }) => {
  const { page } = await openApp({ denyMicrophone: true, modelDownloadsApproved: false });
  const total =
    bytesOf('fixtures/whisper-ask', ASR_FILES) + bytesOf('fixtures/chat-lm', LLM_FILES) + bytesOf('fixtures/kokoro', TTS_FILES) + bytesOf('fixtures/smart-turn-complete', TURN_FILES);
  const offer = page.getByRole('region', { name: 'Download the models' });
  await expect(offer).toContainText(`${formatBytes(total)}, downloaded once`);
  await expect(offer).toContainText(`Language model: fixtures/chat-lm ${formatBytes(bytesOf('fixtures/chat-lm', LLM_FILES))}`);
  await expect(offer).toContainText(`End-of-turn detection: fixtures/smart-turn-complete ${formatBytes(bytesOf('fixtures/smart-turn-complete', TURN_FILES))}`);
  // Nothing is fetched before the user agrees.
  expect(await page.evaluate(async () => (await (await caches.open('transformers-cache')).keys()).length)).toBe(0);

  await offer.getByRole('button', { name: `Download ${formatBytes(total)}` }).click();
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', /idle|listening/, { timeout: 90_000 });
  await sendTyped(page, 'Hello');
  await expectReply(page);

  // The model manager: what is stored, how big, per-dtype sizes, and the browser's answer on keeping it.
  await page.getByRole('button', { name: 'Models' }).click();
  const manager = page.getByRole('dialog', { name: 'Models' });
  await expect(manager.getByTestId('persistence')).toHaveText(/kept|may clear|not said/);
  await expect(manager.getByTestId('catalogue-llm')).toContainText(`q8 ${formatBytes(bytesOf('fixtures/chat-lm', ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', LLM_GRAPH]))}`);
  const stored = manager.getByTestId('cached-model');
  await expect(stored.filter({ hasText: 'fixtures/chat-lm' })).toContainText(`${formatBytes(bytesOf('fixtures/chat-lm', LLM_FILES))} in ${LLM_FILES.length} files`);
  // onnxruntime's wasm shares the library's cache but belongs to the app: not offered for deletion.
  await expect(stored.filter({ hasText: 'runtime/' })).toHaveCount(0);

  // Delete one model: the next start offers only what is missing again.
  await manager.getByRole('button', { name: 'Delete fixtures/chat-lm' }).click();
  await expect(manager.getByRole('status')).toContainText('Deleted fixtures/chat-lm (5 files)');
  await expect(stored.filter({ hasText: 'fixtures/chat-lm' })).toHaveCount(0);
  await page.evaluate(() => {
    // As if the user had never agreed: the offer shows what a restart would download.
    const saved = JSON.parse(localStorage.getItem('hearth-settings')!) as { state: { modelDownloadsApproved: boolean } };
    saved.state.modelDownloadsApproved = false;
    localStorage.setItem('hearth-settings', JSON.stringify(saved));
  });
  await page.reload();
  await expect(page.getByRole('region', { name: 'Download the models' })).toContainText(`${formatBytes(bytesOf('fixtures/chat-lm', LLM_FILES))}, downloaded once`);
});

test('switching model sets restarts on the new set, downloading only what it lacks', async ({ openApp }) => {
  const { page } = await openApp({ denyMicrophone: true });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', /idle|listening/, { timeout: 90_000 });
  await page.getByRole('button', { name: 'Models' }).click();
  const manager = page.getByRole('dialog', { name: 'Models' });
  const paced = manager.getByRole('radio', { name: /Test fixtures, paced language model/ });
  // Only the paced LM differs from the set in use: that is all a switch would download.
  const pacedBytes = bytesOf('fixtures/chat-lm-paced', LLM_FILES);
  await expect(manager.getByText(/paced language model/)).toContainText(`${formatBytes(pacedBytes)} to download`);
  // Another speech recognition engine: only its files.
  const moonshineBytes = bytesOf('fixtures/moonshine-ask', ASR_FILES);
  await expect(manager.getByText(/Moonshine speech recognition/)).toContainText(`${formatBytes(moonshineBytes)} to download`);
  await paced.check();
  await Promise.all([page.waitForEvent('load'), manager.getByRole('button', { name: /^Switch to Test fixtures, paced language model/ }).click()]);

  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', /idle|listening/, { timeout: 90_000 });
  await page.getByRole('button', { name: 'Models' }).click();
  await expect(manager.getByRole('heading', { name: 'In use: Test fixtures, paced language model' })).toBeVisible();
  await expect(manager.getByTestId('catalogue-llm')).toContainText('fixtures/chat-lm-paced');
  // The previous set stays on the device: switching back downloads nothing.
  await expect(manager.locator('.model-sets label').first()).toContainText('on this device');
  await page.keyboard.press('Escape');
  await sendTyped(page, 'Hello');
  await expectReply(page);
});

test('a download cut halfway and the tab closed resumes from where it stopped, and the models work', async ({ openApp }) => {
  const graphBytes = filesOf('fixtures/chat-lm').find((f) => f.path === LLM_GRAPH)!.bytes;
  const half = Math.floor(graphBytes / 2);
  const { page, context } = await openApp({ denyMicrophone: true, path: '/?tts=fixtures/kokoro' });
  let requests = 0;
  await context.route(LLM_GRAPH_URL, async (route) => {
    requests += 1;
    if (requests === 1) {
      // The connection dies halfway: only the first half of the file arrives.
      const full = await (await route.fetch()).body();
      await route.fulfill({ status: 200, contentType: 'application/octet-stream', body: full.subarray(0, half) });
      return;
    }
    // The retry hangs, and the user closes the tab.
  });
  await expect.poll(() => requests, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  await page.close();
  await context.unroute(LLM_GRAPH_URL);

  const resumed = await context.newPage();
  const rangeHeader = resumed.waitForRequest((request) => request.url().endsWith('/fixtures/chat-lm/onnx/model_quantized.onnx'));
  await resumed.goto('/');
  expect((await rangeHeader).headers()['range']).toBe(`bytes=${half}-`);
  await expect(resumed.getByTestId('pipeline-state')).toHaveAttribute('data-state', /idle|listening/, { timeout: 90_000 });
  await sendTyped(resumed, 'Hello');
  await expectReply(resumed);
});

test('too little storage gets a clear message and leaves nothing half-downloaded', async ({ openApp }) => {
  const { page } = await openApp({ denyMicrophone: true, modelDownloadsApproved: false });
  await page.context().addInitScript(() => {
    // A nearly full device: 20 MB left for this site.
    navigator.storage.estimate = async () => ({ usage: 480_000_000, quota: 500_000_000 });
  });
  await page.reload();
  await page.getByRole('button', { name: /^Download / }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Not enough storage' })).toContainText('Nothing was downloaded');
  const leftovers = await page.evaluate(async () => {
    const cached = (await (await caches.open('transformers-cache')).keys()).length;
    const root = await navigator.storage.getDirectory();
    let partial = 0;
    const dir = await root.getDirectoryHandle('hearth-partial-downloads').catch(() => null);
    if (dir) for await (const _ of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) partial += 1;
    return { cached, partial };
  });
  expect(leftovers).toEqual({ cached: 0, partial: 0 });
});

test('a damaged model file in the cache is found and fetched again instead of breaking the model', async ({ openApp }) => {
  const { page } = await openApp({ denyMicrophone: true });
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', /idle|listening/, { timeout: 90_000 });
  // Same size, wrong bytes (what a bad disk or an interrupted write leaves): only the hash can tell.
  await page.evaluate(async () => {
    const cache = await caches.open('transformers-cache');
    const key = (await cache.keys()).find((request) => request.url.endsWith('/fixtures/chat-lm/onnx/model_quantized.onnx'))!;
    const size = (await (await cache.match(key))!.blob()).size;
    await cache.put(key, new Response(new Uint8Array(size).fill(7), { headers: { 'content-length': String(size) } }));
  });
  const refetch = page.waitForRequest((request) => request.url().endsWith('/fixtures/chat-lm/onnx/model_quantized.onnx'));
  await page.reload();
  await refetch;
  await expect(page.getByRole('status').filter({ hasText: 'damaged' })).toBeVisible();
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', /idle|listening/, { timeout: 90_000 });
  await sendTyped(page, 'Hello');
  await expectReply(page);
});

test('with the network off and the server stopped, a spoken question still gets a spoken reply', async () => {
  // Its own relay, so stopping it does not take the shared one from the other tests.
  const server = await startServer();
  const wav = microphoneWav([{ silence: 4 }, { speak: 'What is the capital of France?' }, { silence: 30 }]);
  const { page, context, close } = await launchBrowser(server.url, { microphoneWav: wav });
  try {
    await page.addInitScript(() => {
      if (localStorage.getItem('hearth-settings') === null) localStorage.setItem('hearth-settings', JSON.stringify({ state: { modelDownloadsApproved: true }, version: 1 }));
    });
    await page.goto('/');
    await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', /listening|hearing|thinking|speaking/, { timeout: 90_000 });
    // Mute so the first visit's turn does not overlap the check below.
    await page.getByRole('button', { name: 'Pause listening' }).click();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);

    await server.stop();
    await context.setOffline(true);
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    // The microphone restarts the WAV on reopening: the question is heard again, offline.
    await expect(page.getByTestId('message-user').last().locator('.text')).toHaveText('What is the capital of France?', { timeout: 120_000 });
    await expectReply(page);
    await expect.poll(() => renderedSeconds(page), { timeout: 60_000 }).toBeGreaterThan(1);
  } finally {
    await close();
    await server.stop();
  }
});
