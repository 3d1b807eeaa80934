import type { BrowserContext, Page } from '@playwright/test';
import { join } from 'node:path';
import { test as base, expect } from './support/test.ts';
import { renderedSeconds, turnTimings } from './support/diagnostics.ts';
import { CDN, FakeHub, HUB, WEBLLM_LIBRARY_HOST, type FakeHubOptions } from './support/fake-hub.ts';
import { fixtureModelsDir } from './support/paths.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { HUB_DEFAULT_SET, HUB_SMALL_SET } from '../src/models/catalogue.ts';
import { WEBLLM_BUILDS } from '../src/engines/llm/webllm-models.ts';
import { WEBLLM_LIBRARY_CONNECT_SRC } from '../relay/http/security.ts';
import type { ModelSet } from '../src/protocol/model-set.ts';

// A rehearsal of the hub path: the relay started with MODELS unset (the app downloads from
// https://huggingface.co), and a fake hub answering under the hub's real host names with the
// fixture models under the real hub ids of the default and small sets. The listing (paged),
// redirects to the CDN, the caches, CSP and COEP all run as they would for a real user. WebLLM
// cannot run here (no compiled library can be made offline): on WebGPU the rehearsal shows its
// requests get out (CSP allows them) and that its failure falls back to transformers.js, with
// a notice.

const fixture = (name: string) => join(fixtureModelsDir, 'fixtures', name);

/** Each real hub id of the default and small sets, served from a fixture of the same layout. */
const HUB_REPOS: Record<string, string> = {
  [HUB_DEFAULT_SET.asr]: fixture('moonshine-ask'),
  [HUB_SMALL_SET.asr]: fixture('moonshine-ask'),
  [HUB_DEFAULT_SET.llm]: fixture('chat-lm'),
  [HUB_SMALL_SET.llm]: fixture('chat-lm'),
  [HUB_DEFAULT_SET.tts]: fixture('kokoro'),
  [HUB_DEFAULT_SET.turn]: fixture('smart-turn-complete'),
};

/**
 * WebLLM's weight repositories in their real layout (what WebLLM 0.2.86 reads: chat config,
 * tensor-cache.json, tokenizer, weight shards), with stand-in contents: the model store lists and
 * downloads them into WebLLM's caches, and WebLLM reads its config from there before asking
 * GitHub for its compiled library, which the fake library host does not have. 2 MB of shard
 * makes the language model the largest download, as it is for real.
 */
const WEBLLM_SHARD_BYTES = 2_000_000;
const WEBLLM_REPOS = Object.fromEntries(
  Object.values(WEBLLM_BUILDS)
    .flatMap((builds) => [builds.f16, builds.f32])
    .map((id) => [
      `mlc-ai/${id}`,
      {
        'mlc-chat-config.json': JSON.stringify({ model_type: 'stand-in', context_window_size: 4096, conv_template: {}, tokenizer_files: ['tokenizer.json'] }),
        'tensor-cache.json': JSON.stringify({ metadata: {}, records: [{ dataPath: 'params_shard_0.bin', format: 'raw-shard', nbytes: WEBLLM_SHARD_BYTES, records: [] }] }),
        'tokenizer.json': JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: {}, merges: [] } }),
        'params_shard_0.bin': Buffer.alloc(WEBLLM_SHARD_BYTES, 7),
        'README.md': 'An MLC build (stand-in).',
      },
    ]),
);

const test = base.extend<{ startHub: (options?: Partial<FakeHubOptions>) => Promise<FakeHub> }, { server: RunningServer }>({
  server: [
    async ({}, use) => {
      // MODELS unset means the hub (relay/models/resolve-models.ts); '' is how the env says it here.
      const server = await startServer({ MODELS: '' });
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  startHub: async ({}, use) => {
    const hubs: FakeHub[] = [];
    await use(async (options = {}) => {
      const hub = new FakeHub({ folders: HUB_REPOS, files: WEBLLM_REPOS, ...options });
      await hub.start();
      hubs.push(hub);
      return hub;
    });
    for (const hub of hubs) await hub.stop();
  },
});

interface Seen {
  notices: string[];
  violations: string[];
}

/** Every notice the app showed (warnings go away after a while), and every CSP violation in the page. */
async function recordNoticesAndViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: Seen = { notices: [], violations: [] };
    (window as unknown as { hearthSeen: Seen }).hearthSeen = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.violations.push(`${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`));
    new MutationObserver(() => {
      document.querySelectorAll('.toast-text').forEach((toast) => {
        const text = toast.textContent ?? '';
        if (text && !seen.notices.includes(text)) seen.notices.push(text);
      });
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { hearthSeen: Seen }).hearthSeen);

type OpenApp = Parameters<Parameters<typeof test>[2]>[0]['openApp'];

/** The app on `backend` with `set` chosen, reaching the fake hub; requests to any other host land in `offHub`. */
async function openFromHub(openApp: OpenApp, hub: FakeHub, { set, backend, offHub }: { set: ModelSet; backend: 'wasm' | 'webgpu'; offHub: string[] }) {
  return openApp({
    denyMicrophone: true,
    webgpu: backend === 'webgpu',
    extraArgs: hub.chromiumArgs(),
    path: `/?backend=${backend}`,
    settings: { modelSetId: set.id },
    beforeOpen: async (opened) => {
      await recordNoticesAndViolations(opened.context);
      const known = [HUB, CDN, WEBLLM_LIBRARY_HOST].map((origin) => new URL(origin).host);
      opened.context.on('request', (request) => {
        const { protocol, hostname, host } = new URL(request.url());
        if (/^https?:$/.test(protocol) && hostname !== '127.0.0.1' && !known.includes(host)) offHub.push(request.url());
      });
    },
  });
}

/** Waits for the models, types a question, and waits for the fixture LM's reply to be spoken. */
async function askAndHear(page: Page): Promise<void> {
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', /idle|listening/, { timeout: 150_000 });
  const replies = await page.getByTestId('message-assistant').count();
  // NaN before the player has started.
  const rendered = (await renderedSeconds(page)) || 0;
  await page.getByRole('textbox', { name: 'Type a message' }).fill('Hello');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('message-assistant').nth(replies).locator('.text')).toContainText('capital of France is Paris', { timeout: 90_000 });
  await expect.poll(() => renderedSeconds(page), { timeout: 30_000 }).toBeGreaterThan(rendered + 0.5);
}

/**
 * `gpuGraphBroken`: the LLM's WebGPU graph (q4) on the hub is not an ONNX graph (its listed hash
 * matches, so it downloads fine and fails to load): after WebLLM, transformers.js on the GPU fails
 * too, and the chain ends on the CPU. The default set's case stops at transformers.js on the GPU.
 */
const CASES: { set: ModelSet; backend: 'wasm' | 'webgpu'; gpuGraphBroken?: boolean }[] = [
  { set: HUB_DEFAULT_SET, backend: 'wasm' },
  { set: HUB_SMALL_SET, backend: 'wasm' },
  { set: HUB_DEFAULT_SET, backend: 'webgpu' },
  { set: HUB_SMALL_SET, backend: 'webgpu', gpuGraphBroken: true },
];

for (const { set, backend, gpuGraphBroken } of CASES) {
  test(`the ${set.id} set from the hub loads and answers on ${backend}`, async ({ openApp, startHub }) => {
    // The speech recognizer's encoder (fp32 on both backends) breaks off halfway once.
    const cut = `${set.asr}/onnx/encoder_model.onnx`;
    const broken = gpuGraphBroken ? { [set.llm]: { 'onnx/model_q4.onnx': 'not an ONNX graph' } } : {};
    const hub = await startHub({ cutOnce: [cut], files: { ...WEBLLM_REPOS, ...broken } });
    const offHub: string[] = [];
    const { page } = await openFromHub(openApp, hub, { set, backend, offHub });
    await askAndHear(page);

    // The listing was read page by page, and the files came the way the hub sends them.
    const listed = hub.requestsTo(`${HUB}/api/models/`);
    expect(listed.some((request) => request.url.includes('cursor='))).toBe(true);
    expect(hub.requestsTo(`${HUB}/${set.asr}/resolve/main/`).map((request) => request.status)).toContain(302);
    expect(hub.requestsTo(`${CDN}/`).length).toBeGreaterThan(0);
    expect(hub.requestsTo(`${HUB}/api/resolve-cache/`).length).toBeGreaterThan(0);
    // The cut download resumed where it stopped: Range through the hub's redirect, 206 from the CDN.
    expect(hub.requestsTo(`${CDN}/`).filter((request) => request.status === 206 && /^bytes=[1-9]\d*-$/.test(request.range ?? ''))).toHaveLength(1);
    // The store's cache keys are the ones the libraries look up: no file was fetched whole twice.
    const whole = hub.requests.filter((request) => request.url.includes('/resolve/main/') && !request.range).map((request) => request.url);
    expect(whole.filter((url, index) => whole.indexOf(url) !== index)).toEqual([]);
    const [turn] = await turnTimings(page);
    expect(turn?.backends).toMatchObject({ asr: backend, llm: gpuGraphBroken ? 'wasm' : backend, tts: backend });
    // No model the app asked for is one the hub lacks, no URL the CDN refused.
    expect(hub.requests.filter((request) => request.status === 401 || request.status === 403)).toEqual([]);
    expect(offHub).toEqual([]);
    const { notices, violations } = await seen(page);
    expect(violations).toEqual([]);

    const webllm = WEBLLM_BUILDS[set.llm]!;
    const libraries = hub.requestsTo(WEBLLM_LIBRARY_HOST);
    if (backend === 'wasm') {
      expect(libraries).toEqual([]);
    } else {
      // WebLLM (the f32 build: SwiftShader has no shader-f16) got its config from the hub and
      // asked GitHub for its library: CSP let both out. Its failure fell back, with a notice.
      expect(hub.requestsTo(`${HUB}/mlc-ai/${webllm.f32}/resolve/main/mlc-chat-config.json`).length).toBeGreaterThan(0);
      expect(libraries.length).toBeGreaterThan(0);
      for (const library of libraries) expect(WEBLLM_LIBRARY_CONNECT_SRC.some((allowed) => library.url.startsWith(allowed))).toBe(true);
      expect(notices).toContainEqual(
        gpuGraphBroken
          ? expect.stringMatching(/could not start with WebLLM on the GPU \(.*\) nor with transformers\.js on the GPU \(.*\)\. It now runs with transformers\.js on the CPU/)
          : expect.stringMatching(/could not start with WebLLM on the GPU: .*It now runs with transformers\.js on the GPU/),
      );
    }
    test.info().annotations.push({ type: 'notices', description: JSON.stringify(notices) });
    test.info().annotations.push({ type: 'hub requests', description: String(hub.requests.length) });
    if (process.env.HUB_DEBUG) console.log(JSON.stringify({ notices, requests: hub.requests.map((r) => `${r.method} ${r.status} ${r.url}${r.range ? ` ${r.range}` : ''}`) }, null, 1));
  });
}

test('after a first visit from the hub, the app starts and answers offline', async ({ openApp, startHub }) => {
  const hub = await startHub();
  const offHub: string[] = [];
  const { page, context } = await openFromHub(openApp, hub, { set: HUB_DEFAULT_SET, backend: 'wasm', offHub });
  await askAndHear(page);
  // Offline, the app comes from the service worker, each listing from the copy the store kept,
  // the models from the caches under their hub URLs.
  await context.setOffline(true);
  await page.reload();
  await askAndHear(page);
  expect(offHub).toEqual([]);
});

// The first visit on a WebGPU device offers every model the plan runs, WebLLM's build included
// (by far the largest download for real), and the model manager deletes that build.
test('the first visit of the default set on WebGPU offers the WebLLM download in its total, and the model manager deletes it', async ({ openApp, startHub }) => {
  const hub = await startHub();
  const { page } = await openApp({ denyMicrophone: true, webgpu: true, extraArgs: hub.chromiumArgs(), path: '/?backend=webgpu', modelDownloadsApproved: false });
  const offer = page.getByRole('region', { name: 'Download the models' });
  const webllm = `mlc-ai/${WEBLLM_BUILDS[HUB_DEFAULT_SET.llm]!.f32}`;
  await expect(offer).toContainText('downloaded once', { timeout: 60_000 });
  await expect(offer.getByRole('listitem').filter({ hasText: 'Language model' })).toContainText(`${webllm} 2.0 MB`);
  await offer.getByRole('button', { name: /^Download / }).click();

  // WebLLM reads what the store downloaded (its config is fetched once, by the store), fails for
  // want of its library, and the chain goes on; its build stays on the device until deleted.
  await expect(page.getByTestId('pipeline-state')).toHaveAttribute('data-state', /idle|listening/, { timeout: 150_000 });
  expect(hub.requestsTo(`${HUB}/${webllm}/resolve/main/mlc-chat-config.json`).filter((request) => request.status < 400)).toHaveLength(1);
  await page.getByRole('button', { name: 'Models' }).click();
  const manager = page.getByRole('dialog', { name: 'Models' });
  await expect(manager.getByTestId('cached-model').filter({ hasText: webllm })).toContainText('2.0 MB in 4 files');
  await manager.getByRole('button', { name: `Delete ${webllm}` }).click();
  await expect(manager.getByRole('status')).toContainText(`Deleted ${webllm} (4 files)`);
  await expect(manager.getByTestId('cached-model').filter({ hasText: webllm })).toHaveCount(0);
});
