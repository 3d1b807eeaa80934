// The model store and the VAD worker agree on where the end-of-turn model lives: the store lists
// and checks exactly its one file, keeps it under the URL smartTurnModelUrl builds, and the model
// manager's list and delete see it. Cache Storage and fetch are faked; the fixture bytes are real.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchSmartTurnModel, SMART_TURN_FILE, smartTurnModelUrl } from '../../engines/turn/smart-turn-model.ts';
import { SMART_TURN_VARIANTS } from '../../../tools/fixtures/catalogue.ts';
import { buildSmartTurn } from '../../../tools/fixtures/smart-turn.ts';
import { putCached, TRANSFORMERS_CACHE } from '../../engines/model-files/model-cache.ts';
import { storeFileFor } from './cache-entries.ts';
import { ModelStore } from './model-store.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const SOURCE = { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' } as const;
const MODEL = 'fixtures/smart-turn-complete';
const BYTES = buildSmartTurn(SMART_TURN_VARIANTS[0]!).files[0]!.bytes;
const REQUEST = { stage: 'turn', model: MODEL, dtype: 'int8' } as const;

function fakeCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const keyOf = (key: RequestInfo | URL): string => (typeof key === 'string' ? key : key instanceof URL ? key.href : key.url);
  return {
    open: async (name: string) => {
      const entries = stores.get(name) ?? new Map<string, Response>();
      stores.set(name, entries);
      return {
        match: async (key: RequestInfo | URL) => entries.get(keyOf(key))?.clone(),
        put: async (key: RequestInfo | URL, response: Response) => void entries.set(keyOf(key), response),
        delete: async (key: RequestInfo | URL) => entries.delete(keyOf(key)),
        keys: async () => [...entries.keys()].map((url) => new Request(url)),
      };
    },
  };
}

describe('the Smart Turn URL', () => {
  it('is the key the model store caches the file under', () => {
    const hub = { kind: 'hub', host: 'https://huggingface.co/', pathTemplate: '{model}/resolve/{revision}/' } as const;
    for (const [source, model] of [
      [hub, 'pipecat-ai/smart-turn-v3'],
      [SOURCE, 'fixtures/smart-turn-incomplete'],
    ] as const) {
      const stored = storeFileFor(source, model, { path: SMART_TURN_FILE, bytes: 8_679_182 }, ORIGIN);
      expect(stored.cacheName).toBe(TRANSFORMERS_CACHE);
      expect(stored.cacheKey).toBe(smartTurnModelUrl(source, model, ORIGIN));
    }
  });
});

const manifest = {
  models: [
    { id: MODEL, files: [{ path: SMART_TURN_FILE, bytes: BYTES.byteLength, sha256: createHash('sha256').update(BYTES).digest('hex') }] },
    { id: 'fixtures/other', files: [{ path: 'README.md', bytes: 10 }] },
  ],
};
const fetchMock = vi.fn(async (url: string) =>
  url === `${ORIGIN}/models/manifest.json` ? Response.json(manifest) : new Response('not here', { status: 404 }),
);

beforeEach(() => {
  vi.stubGlobal('caches', fakeCaches());
  vi.stubGlobal('fetch', fetchMock);
  fetchMock.mockClear();
});
afterEach(() => vi.unstubAllGlobals());

describe('the model store and the end-of-turn model', () => {
  it('counts its one file as missing, then cached once stored under the key the VAD worker reads', async () => {
    const store = new ModelStore(ORIGIN);
    const [before] = await store.inspect({ source: SOURCE, requests: [REQUEST] });
    expect(before).toMatchObject({ stage: 'turn', model: MODEL, dtype: 'int8', totalBytes: BYTES.byteLength, missingBytes: BYTES.byteLength });
    expect(before!.files.map((file) => file.path)).toEqual([SMART_TURN_FILE]);

    // What a finished download leaves (resumable-download.ts ends with putCached).
    const file = storeFileFor(SOURCE, MODEL, manifest.models[0]!.files[0]!, ORIGIN);
    expect(file.cacheKey).toBe(`${ORIGIN}/models/${MODEL}/${SMART_TURN_FILE}`);
    expect(file.cacheKey).toBe(smartTurnModelUrl(SOURCE, MODEL, ORIGIN));
    await putCached(file, new Blob([new Uint8Array(BYTES)]));
    const [after] = await store.inspect({ source: SOURCE, requests: [REQUEST] });
    expect(after).toMatchObject({ missingBytes: 0, repaired: [] });

    // The VAD worker gets the bytes from the cache, without the network.
    fetchMock.mockClear();
    expect(new Uint8Array(await fetchSmartTurnModel(smartTurnModelUrl(SOURCE, MODEL, ORIGIN)))).toEqual(new Uint8Array(BYTES));
    expect(fetchMock).not.toHaveBeenCalled();

    // The model manager lists it, with its size, and deletes it; onnxruntime's wasm, which
    // transformers.js keeps in the same cache, is part of the app and never listed.
    await (await caches.open(TRANSFORMERS_CACHE)).put(`${ORIGIN}/runtime/ort/ort-wasm-simd-threaded.asyncify.wasm`, new Response('wasm'));
    expect(await store.cached()).toEqual([{ model: MODEL, bytes: BYTES.byteLength, files: 1 }]);
    expect(await store.remove(SOURCE, MODEL)).toBe(1);
    expect(await store.cached()).toEqual([]);
    expect(await (await caches.open(TRANSFORMERS_CACHE)).match(file.cacheKey)).toBeUndefined();
  });

  it('shows one size in the catalogue, and says so when the source lacks the model', async () => {
    const store = new ModelStore(ORIGIN);
    expect(await store.catalogue(SOURCE, [{ stage: 'turn', model: MODEL }])).toEqual([{ stage: 'turn', model: MODEL, sizes: [{ dtype: 'int8', bytes: BYTES.byteLength }] }]);
    const [other] = await store.inspect({ source: SOURCE, requests: [{ ...REQUEST, model: 'fixtures/other' }] });
    expect(other?.error).toBe(`fixtures/other has no ${SMART_TURN_FILE} at the model source (the end-of-turn model must be a Smart Turn v3 repository)`);
  });
});
