// The Parakeet engine on the constructed Parakeet TDT fixture, through the real parakeet.js and
// onnxruntime-web's wasm build in Node. The fixture folder is served over HTTP on 127.0.0.1 as the
// app's model mirror serves it, so the engine builds and fetches the same URLs as in the browser.
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ParakeetModel } from 'parakeet.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { QUESTION } from '../../../tools/fixtures/catalogue.ts';
import { PARAKEET_VARIANTS } from '../../../tools/fixtures/catalogue.ts';
import { buildParakeet } from '../../../tools/fixtures/parakeet.ts';
import { speak16k, concatAudio } from '../../../tools/fixtures/test-speech.ts';
import { isDeviceLostError } from '../stage-error.ts';
import type { LoadProgress, StageLoadOptions } from '../types.ts';
import { ParakeetAsrEngine, parakeetFiles, parseParakeetDtype } from './parakeet-engine.ts';

const require = createRequire(import.meta.url);
const WASM_PATHS = pathToFileURL(`${dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'))}/`).href;
const MODEL = 'fixtures/parakeet-ask';

let server: Server;
let host = '';
/** Each request the mirror got: `GET path` or `HEAD path`. */
let requests: string[] = [];
let speech: Float32Array;

beforeAll(async () => {
  const folder = buildParakeet(PARAKEET_VARIANTS.find((v) => v.id === MODEL)!);
  const files = new Map(folder.files.map((f) => [`/models/${MODEL}/${f.path}`, f.bytes]));
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(`${req.method} ${path}`);
    const bytes = files.get(path);
    if (!bytes) {
      res.writeHead(404, { connection: 'close' }).end();
      return;
    }
    // No keep-alive: a pooled socket the server times out between tests fails the client's next request.
    res.writeHead(200, { 'content-length': bytes.byteLength, 'content-type': 'application/octet-stream', connection: 'close' });
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  host = `http://127.0.0.1:${address.port}/models/`;
  speech = speak16k(QUESTION);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const engines: ParakeetAsrEngine[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  requests = [];
  for (const engine of engines.splice(0)) await engine.unload();
});

function newEngine(): ParakeetAsrEngine {
  // parakeet.js logs each load step and run.
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const engine = new ParakeetAsrEngine({ wasmPaths: WASM_PATHS, origin: 'http://127.0.0.1' });
  engines.push(engine);
  return engine;
}

function options(): StageLoadOptions {
  return { model: MODEL, source: { kind: 'mirror', host, pathTemplate: '{model}/' }, backend: 'wasm' };
}

describe('Parakeet dtypes', () => {
  it('names the encoder and decoder files of each dtype', () => {
    expect(parakeetFiles('int8')).toEqual({ encoder: 'encoder-model.int8.onnx', decoder: 'decoder_joint-model.int8.onnx', vocab: 'vocab.txt' });
    expect(parakeetFiles('fp32/int8')).toEqual({ encoder: 'encoder-model.onnx', decoder: 'decoder_joint-model.int8.onnx', vocab: 'vocab.txt' });
    expect(parseParakeetDtype('fp16/fp32')).toEqual({ encoder: 'fp16', decoder: 'fp32' });
    expect(() => parseParakeetDtype('q8')).toThrow(/unknown Parakeet dtype/);
    expect(() => parseParakeetDtype('fp32/int8/int8')).toThrow(/unknown Parakeet dtype/);
  });
});

describe('ParakeetAsrEngine', () => {
  it('loads int8 on wasm by default from the model source, warms up, and transcribes', async () => {
    const engine = newEngine();
    const transcribe = vi.spyOn(ParakeetModel.prototype, 'transcribe');
    const progress: LoadProgress[] = [];
    const loaded = await engine.load({ ...options(), onProgress: (p) => progress.push(p) });
    expect(loaded).toMatchObject({ stage: 'asr', model: MODEL, backend: 'wasm', dtype: 'int8/int8' });
    expect(loaded.warmupMs).toBeGreaterThan(0);
    expect(loaded.warmupError).toBeUndefined();
    // The warm-up: one second of silence through the whole model.
    expect(transcribe).toHaveBeenCalledTimes(1);
    expect(transcribe.mock.calls[0]![0]).toHaveLength(16000);

    expect(requests.sort()).toEqual([
      `GET /models/${MODEL}/decoder_joint-model.int8.onnx`,
      `GET /models/${MODEL}/encoder-model.int8.onnx`,
      `GET /models/${MODEL}/vocab.txt`,
    ]);
    const bytes = progress.filter((p) => p.status === 'downloading');
    expect(bytes.at(-1)!.loaded).toBe(bytes.at(-1)!.total);
    expect(bytes.at(-1)!.total).toBeGreaterThan(1000);
    expect(progress.filter((p) => p.status === 'loading').map((p) => p.file).sort()).toEqual([
      'decoder_joint-model.int8.onnx',
      'encoder-model.int8.onnx',
      'vocab.txt',
    ]);
    expect(progress.at(-1)!.status).toBe('ready');

    const transcript = await engine.transcribe(speech);
    expect(transcript.text).toBe(QUESTION);
    expect(transcript.computeMs).toBeGreaterThan(0);
    expect((await engine.transcribe(new Float32Array(16000))).text).toBe('');
  });

  it('loads an fp32 encoder, looking for its external weights first', async () => {
    const engine = newEngine();
    const loaded = await engine.load({ ...options(), dtype: 'fp32/int8' });
    expect(loaded.dtype).toBe('fp32/int8');
    expect(requests).toContain(`HEAD /models/${MODEL}/encoder-model.onnx.data`);
    expect(requests).toContain(`GET /models/${MODEL}/encoder-model.onnx`);
    expect(requests).not.toContain(`HEAD /models/${MODEL}/decoder_joint-model.int8.onnx.data`);
    expect((await engine.transcribe(speech)).text).toBe(QUESTION);
  });

  it('fails the load with load-failed for a missing model or an unknown dtype', async () => {
    const engine = newEngine();
    await expect(engine.load({ ...options(), model: 'fixtures/nothing-here' })).rejects.toMatchObject({
      code: 'load-failed',
      message: expect.stringContaining('HTTP 404'),
    });
    await expect(engine.load({ ...options(), dtype: 'q4' })).rejects.toMatchObject({ code: 'load-failed' });
    await expect(engine.transcribe(speech)).rejects.toMatchObject({ code: 'not-loaded' });
  });

  it('keeps a model whose warm-up failed: the load reports it, and the model transcribes', async () => {
    const engine = newEngine();
    vi.spyOn(ParakeetModel.prototype, 'transcribe').mockRejectedValueOnce(new Error('kernel exploded'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const loaded = await engine.load(options());
    expect(loaded.warmupError).toBe('kernel exploded');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('kernel exploded'));
    expect((await engine.transcribe(speech)).text).toBe(QUESTION);
  });

  it('fails the load when the warm-up finds the GPU device lost, and is not loaded after', async () => {
    const engine = newEngine();
    vi.spyOn(ParakeetModel.prototype, 'transcribe').mockRejectedValueOnce(new Error('GPUDevice was lost: the driver reset'));
    const failure = await engine.load(options()).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isDeviceLostError(failure)).toBe(true);
    await expect(engine.transcribe(speech)).rejects.toMatchObject({ code: 'not-loaded' });
  });

  it('reports a device lost mid-transcription as device-lost, on every later call too', async () => {
    const engine = newEngine();
    await engine.load(options());
    vi.spyOn(ParakeetModel.prototype, 'transcribe').mockRejectedValueOnce(new Error('GPUDevice was lost'));
    await expect(engine.transcribe(speech)).rejects.toMatchObject({ code: 'device-lost' });
    await expect(engine.transcribe(speech)).rejects.toMatchObject({ code: 'device-lost' });
  });

  it('says not-loaded before load() and after unload()', async () => {
    const engine = newEngine();
    await expect(engine.transcribe(speech)).rejects.toMatchObject({ code: 'not-loaded' });
    await engine.load(options());
    await engine.unload();
    await expect(engine.transcribe(speech)).rejects.toMatchObject({ code: 'not-loaded' });
  });

  it('stops on abort: before the run, and between model steps mid-run; then transcribes as usual', async () => {
    const engine = newEngine();
    await engine.load(options());
    const transcribe = vi.spyOn(ParakeetModel.prototype, 'transcribe');

    const before = new AbortController();
    before.abort();
    await expect(engine.transcribe(speech, { signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(transcribe).not.toHaveBeenCalled();

    // Aborted once parakeet.js is inside its run (computing features): the next session run throws.
    const during = new AbortController();
    const pending = engine.transcribe(speech, { signal: during.signal });
    expect(transcribe).toHaveBeenCalledTimes(1);
    during.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    // parakeet.js's own run was cut short (not just its result dropped).
    await expect(transcribe.mock.results[0]!.value).rejects.toMatchObject({ name: 'AbortError' });

    expect((await engine.transcribe(speech)).text).toBe(QUESTION);
  });

  it('decodes only the new audio when it extends the last transcription past a pause, carrying the decoder state', async () => {
    const engine = newEngine();
    await engine.load(options());
    const transcribe = vi.spyOn(ParakeetModel.prototype, 'transcribe');
    // The voice detector's short pause: 200 ms of silence after the words.
    const pause = new Float32Array(3200);
    // At the user's pause: the audio so far. Then they go on, and the whole utterance comes again.
    const first = concatAudio(speech, pause);
    const whole = concatAudio(first, speech, pause);
    expect((await engine.transcribe(first)).text).toBe(QUESTION);
    // Meanwhile a partial transcript's audio, cut mid-speech: it builds on the pause, but is not
    // built on (the cut may fall inside a word).
    const partial = concatAudio(first, speech.subarray(0, Math.floor(speech.length / 2)));
    await engine.transcribe(partial);
    expect(transcribe.mock.lastCall![0]).toHaveLength(partial.length - first.length);
    const continued = await engine.transcribe(whole);
    expect(transcribe.mock.lastCall![0]).toHaveLength(whole.length - first.length);
    expect(transcribe.mock.lastCall![2]).toMatchObject({ previousDecoderState: expect.any(Object) });

    // Another utterance (different samples from the start) is decoded whole.
    await engine.transcribe(concatAudio(pause, speech));
    expect(transcribe.mock.lastCall![0]).toHaveLength(pause.length + speech.length);

    // The same words as decoding it all at once (the fixture's token counter is in the decoder state it carried).
    const fresh = newEngine();
    await fresh.load(options());
    expect(continued.text).toBe((await fresh.transcribe(whole)).text);
  });
});

