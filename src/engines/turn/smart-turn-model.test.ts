import { afterEach, describe, expect, it, vi } from 'vitest';
import { TRANSFORMERS_CACHE } from '../model-files/model-cache.ts';
import { fetchSmartTurnModel, SMART_TURN_FILE, smartTurnModelUrl } from './smart-turn-model.ts';

const HUB = { kind: 'hub', host: 'https://huggingface.co/', pathTemplate: '{model}/resolve/{revision}/' } as const;
const MIRROR = { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' } as const;
const ORIGIN = 'http://127.0.0.1:8787';

/** Cache Storage as far as the code uses it: named caches of responses keyed by URL. */
function fakeCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const open = async (name: string) => {
    const entries = stores.get(name) ?? new Map<string, Response>();
    stores.set(name, entries);
    return {
      match: async (key: string) => entries.get(key)?.clone(),
      put: async (key: string, response: Response) => void entries.set(key, response),
    };
  };
  return { stores, open };
}

afterEach(() => vi.unstubAllGlobals());

describe('smartTurnModelUrl', () => {
  it('builds the hub and mirror URLs of smart-turn-v3.2-cpu.onnx', () => {
    expect(SMART_TURN_FILE).toBe('smart-turn-v3.2-cpu.onnx');
    expect(smartTurnModelUrl(HUB, 'pipecat-ai/smart-turn-v3', ORIGIN)).toBe('https://huggingface.co/pipecat-ai/smart-turn-v3/resolve/main/smart-turn-v3.2-cpu.onnx');
    expect(smartTurnModelUrl(MIRROR, 'fixtures/smart-turn-complete', ORIGIN)).toBe(`${ORIGIN}/models/fixtures/smart-turn-complete/smart-turn-v3.2-cpu.onnx`);
    // No origin known (Node): the hub URL is absolute anyway, the mirror's stays origin-relative.
    expect(smartTurnModelUrl(HUB, 'pipecat-ai/smart-turn-v3', undefined)).toBe('https://huggingface.co/pipecat-ai/smart-turn-v3/resolve/main/smart-turn-v3.2-cpu.onnx');
    expect(smartTurnModelUrl(MIRROR, 'fixtures/smart-turn-complete', undefined)).toBe('/models/fixtures/smart-turn-complete/smart-turn-v3.2-cpu.onnx');
  });
});

describe('fetchSmartTurnModel', () => {
  const url = `${ORIGIN}/models/fixtures/smart-turn-complete/${SMART_TURN_FILE}`;

  it('reads the copy the model store cached, without the network', async () => {
    const caches = fakeCaches();
    await (await caches.open(TRANSFORMERS_CACHE)).put(url, new Response(new Uint8Array([1, 2, 3])));
    const fetch = vi.fn();
    vi.stubGlobal('caches', caches);
    vi.stubGlobal('fetch', fetch);
    expect(new Uint8Array(await fetchSmartTurnModel(url))).toEqual(new Uint8Array([1, 2, 3]));
    expect(fetch).not.toHaveBeenCalled();
  });

  it('downloads what is not cached, and keeps it in the cache the store uses', async () => {
    const caches = fakeCaches();
    const fetch = vi.fn(async () => new Response(new Uint8Array([4, 5])));
    vi.stubGlobal('caches', caches);
    vi.stubGlobal('fetch', fetch);
    expect(new Uint8Array(await fetchSmartTurnModel(url))).toEqual(new Uint8Array([4, 5]));
    expect(fetch).toHaveBeenCalledWith(url, expect.anything());
    const kept = caches.stores.get(TRANSFORMERS_CACHE)?.get(url);
    expect(kept?.headers.get('x-hearth-bytes')).toBe('2');
    expect(new Uint8Array(await kept!.arrayBuffer())).toEqual(new Uint8Array([4, 5]));
  });

  it('works without Cache Storage (Node, or a browser that refuses it)', async () => {
    vi.stubGlobal('fetch', async () => new Response(new Uint8Array([7])));
    expect(new Uint8Array(await fetchSmartTurnModel(url))).toEqual(new Uint8Array([7]));
    vi.stubGlobal('caches', { open: async () => Promise.reject(new Error('SecurityError')) });
    expect(new Uint8Array(await fetchSmartTurnModel(url))).toEqual(new Uint8Array([7]));
  });

  it('says which file failed and why, in words', async () => {
    vi.stubGlobal('fetch', async () => new Response('Entry not found', { status: 404 }));
    await expect(fetchSmartTurnModel(url)).rejects.toThrow(
      `The end-of-turn model (${url}) could not be loaded: the model source answered HTTP 404. The model source does not have this file: is the turn model part of its model set?`,
    );
    vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(fetchSmartTurnModel(url)).rejects.toThrow(/not on this device and the download failed \(Failed to fetch\)\. Check the connection, then retry\./);
    vi.stubGlobal('fetch', async () => new Response(new Uint8Array(0)));
    await expect(fetchSmartTurnModel(url)).rejects.toThrow(/sent an empty file/);
  });
});
