// NVIDIA Parakeet TDT (a token-and-duration transducer) through parakeet.js, on the project's
// onnxruntime-web (1.30, the top-level copy: an npm override replaces parakeet.js's pinned 1.24.1).
//
// Files, in the `ysdede/parakeet-tdt-0.6b-v2-onnx` / `-v3-onnx` layout, fetched from the model source
// exactly where transformers.js would look for them (modelFileUrl), through a fetch the integrator
// can replace (e.g. a Cache Storage lookup first):
//   encoder-model{,.int8,.fp16}.onnx (+ `<file>.data` external weights when the source has it),
//   decoder_joint-model{,.int8,.fp16}.onnx, vocab.txt.
// `nemo128.onnx` is not loaded: parakeet.js's JS mel step (its default) replaces it.
//
// dtype: `<encoder>/<decoder>` or one name for both, each `fp32` (no suffix), `int8` or `fp16`.
//
// The engine fetches the graphs itself and hands onnxruntime the bytes: onnxruntime-web in Node
// reads a string as a file path, and fetching here gives byte progress and a replaceable fetch.
// The build transformers.js uses: one onnxruntime binary for every model stage (runtime-paths.ts).
// parakeet.js's own `import('onnxruntime-web')` is aliased to it (vite.config.ts), so both share this env.
import * as ort from 'onnxruntime-web/webgpu';
import { ParakeetModel, type TranscribeResult } from 'parakeet.js';
import { modelFileUrl } from '../model-files/model-url.ts';
import { ORT_RUNTIME } from '../runtime-paths.ts';
import { StageError } from '../stage-error.ts';
import { throwIfAborted } from '../transformers/abort-criteria.ts';
import { loadError } from '../transformers/load-error.ts';
import { finishLoad } from '../transformers/warm-up.ts';
import type { AsrEngine, Cancellable, LoadedStage, LoadProgress, ProgressOptions, StageLoadOptions, Transcript } from '../types.ts';
import type { GpuDeviceLike } from '../webgpu/webgpu-types.ts';
import { DeviceLossTracker } from '../webgpu/device-loss.ts';
import { deviceThreadBudget } from '../thread-budget.ts';
import { endsInPause, joinTranscripts, reusablePrefix, type DecodedPrefix } from './decoded-prefix.ts';
import { PARAKEET_DEFAULT_DTYPE, parakeetFiles, parseParakeetDtype } from './parakeet-files.ts';

export { PARAKEET_DEFAULT_DTYPE, PARAKEET_QUANT_SUFFIX, parakeetFiles, parseParakeetDtype, type ParakeetDtype, type ParakeetFiles, type ParakeetQuant } from './parakeet-files.ts';


const SAMPLE_RATE = 16_000;
/** Above this parakeet.js's own windowed long-audio path transcribes (its auto-window threshold). */
const LONG_AUDIO_SECONDS = 180;
const PROGRESS_INTERVAL_MS = 100;

export interface ParakeetEngineOptions {
  /** Fetches every model file (default: the global fetch). E.g. Cache Storage first, then the network. */
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /** What origin-relative model hosts (`/models/`) resolve against (default: this worker's origin). */
  origin?: string;
  /** onnxruntime-web's runtime files (default: ORT_RUNTIME under the app's base URL). */
  wasmPaths?: ort.Env.WasmPrefixOrFilePaths;
  /** wasm threads (default: the ASR's share of this device's cores, thread-budget.ts). */
  threads?: number;
  /**
   * Look for `<file>.data` external weights next to fp32/fp16 graphs (a HEAD request each; default
   * true). The 0.6B fp32 encoder needs them: its weights exceed protobuf's 2 GB.
   */
  externalData?: boolean;
}

/** The sessions parakeet.js keeps on the model (not in its types). */
interface ParakeetSessions {
  encoderSession: ort.InferenceSession;
  joinerSession: ort.InferenceSession;
}

function sessionsOf(model: ParakeetModel): ParakeetSessions {
  return model as unknown as ParakeetSessions;
}

function defaultWasmPaths(): ort.Env.WasmFilePaths {
  const base = new URL(import.meta.env.BASE_URL, self.location.origin);
  return { mjs: new URL(ORT_RUNTIME.dir + ORT_RUNTIME.mjs, base).href, wasm: new URL(ORT_RUNTIME.dir + ORT_RUNTIME.wasm, base).href };
}

/** Parakeet TDT through parakeet.js; runs inside the ASR worker. */
export class ParakeetAsrEngine implements AsrEngine {
  private model: ParakeetModel | null = null;
  private readonly gpu = new DeviceLossTracker('asr');
  /** The signal of the transcription in progress: checked before every encoder and decoder step. */
  private running: AbortSignal | undefined;
  /** The last transcription that ended in a pause: its decoder state carries on when the next audio extends it (decoded-prefix.ts). */
  private decoded: DecodedPrefix<TranscribeResult['decoderState']> | undefined;
  private readonly options: ParakeetEngineOptions;

  constructor(options: ParakeetEngineOptions = {}) {
    this.options = options;
  }

  async load(options: StageLoadOptions & ProgressOptions): Promise<LoadedStage> {
    const started = performance.now();
    const dtype = options.dtype ?? PARAKEET_DEFAULT_DTYPE[options.backend];
    await this.unload();
    let model: ParakeetModel;
    try {
      const files = parakeetFiles(dtype);
      this.configureOrt();
      const origin = this.options.origin ?? self.location.origin;
      const url = (path: string): string => modelFileUrl(options.source, options.model, path, origin);
      const graphs: Array<{ key: 'encoder' | 'decoder' | 'encoderData' | 'decoderData'; path: string }> = [
        { key: 'encoder', path: files.encoder },
        { key: 'decoder', path: files.decoder },
      ];
      const quant = parseParakeetDtype(dtype);
      if (this.options.externalData ?? true) {
        const probes = await Promise.all([
          quant.encoder !== 'int8' && this.exists(url(`${files.encoder}.data`)),
          quant.decoder !== 'int8' && this.exists(url(`${files.decoder}.data`)),
        ]);
        if (probes[0]) graphs.push({ key: 'encoderData', path: `${files.encoder}.data` });
        if (probes[1]) graphs.push({ key: 'decoderData', path: `${files.decoder}.data` });
      }
      const paths = [...graphs.map((g) => g.path), files.vocab];
      const fetched = await this.fetchAll(paths.map(url), paths, options.onProgress);
      const bytes = Object.fromEntries(graphs.map((g, i) => [g.key, fetched[i]!]));
      const vocab = new TextDecoder().decode(fetched.at(-1));
      model = await ParakeetModel.fromUrls({
        // onnxruntime accepts bytes wherever parakeet.js passes a model URL through.
        encoderUrl: bytes.encoder as unknown as string,
        decoderUrl: bytes.decoder as unknown as string,
        encoderDataUrl: (bytes.encoderData ?? null) as unknown as string | null,
        decoderDataUrl: (bytes.decoderData ?? null) as unknown as string | null,
        filenames: { encoder: files.encoder, decoder: files.decoder },
        tokenizerUrl: `data:text/plain;charset=utf-8,${encodeURIComponent(vocab)}`,
        // WebGPU: the encoder on the GPU, the decoder (one tiny step per token) on wasm.
        backend: options.backend === 'webgpu' ? 'webgpu-hybrid' : 'wasm',
        cpuThreads: this.threads(),
        preprocessorBackend: 'js',
      });
      if (options.backend === 'webgpu') {
        const device: unknown = await ort.env.webgpu.device;
        if (typeof device === 'object' && device !== null && 'lost' in device) this.gpu.watch(device as GpuDeviceLike);
      }
    } catch (error) {
      throw loadError('asr', options.model, options.backend, error, this.gpu);
    }
    this.guardSessions(model);
    this.model = model;
    // The first run initialises kernels (compiles shaders on WebGPU) and sizes buffers: pay it now.
    return finishLoad({
      stage: 'asr',
      model: options.model,
      backend: options.backend,
      dtype,
      onProgress: options.onProgress,
      startedAt: started,
      inference: () => warmUpParakeet(model),
      gpu: this.gpu,
      unload: () => this.unload(),
    });
  }

  async transcribe(audio: Float32Array, options: Cancellable = {}): Promise<Transcript> {
    const model = this.model;
    if (!model) throw new StageError('asr', 'not-loaded', 'transcribe() called before load()');
    this.gpu.throwIfLost();
    throwIfAborted(options.signal);
    const started = performance.now();
    this.running = options.signal;
    try {
      if (audio.length > LONG_AUDIO_SECONDS * SAMPLE_RATE) {
        this.decoded = undefined;
        const text = (await model.transcribeLongAudio(audio, SAMPLE_RATE, { enableProfiling: false })).text.trim();
        throwIfAborted(options.signal);
        return { text, computeMs: performance.now() - started };
      }
      const prefix = reusablePrefix(this.decoded, audio);
      const rest = prefix ? audio.subarray(prefix.audio.length) : audio;
      const result = await model.transcribe(rest, SAMPLE_RATE, {
        enableProfiling: false,
        previousDecoderState: prefix?.state ?? null,
        returnDecoderState: true,
      });
      throwIfAborted(options.signal);
      const text = joinTranscripts(prefix?.text ?? '', result.utterance_text);
      if (endsInPause(audio, SAMPLE_RATE)) this.decoded = { audio, text, state: result.decoderState };
      return { text, computeMs: performance.now() - started };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw this.gpu.classify(error);
    } finally {
      this.running = undefined;
    }
  }

  async unload(): Promise<void> {
    const model = this.model;
    this.model = null;
    this.decoded = undefined;
    this.gpu.reset();
    if (!model) return;
    const { encoderSession, joinerSession } = sessionsOf(model);
    await Promise.allSettled([encoderSession.release(), joinerSession.release()]);
  }

  /** parakeet.js's decode loop has no signal: stop it at its next session run instead. */
  private guardSessions(model: ParakeetModel): void {
    const { encoderSession, joinerSession } = sessionsOf(model);
    for (const session of [encoderSession, joinerSession]) {
      const run = session.run.bind(session) as (...args: unknown[]) => Promise<ort.InferenceSession.ReturnType>;
      (session as { run: unknown }).run = (...args: unknown[]) => {
        throwIfAborted(this.running);
        return run(...args);
      };
    }
  }

  /** parakeet.js sets a CDN path unless one is set, and reads its thread count from the options. */
  private configureOrt(): void {
    ort.env.wasm.wasmPaths = this.options.wasmPaths ?? defaultWasmPaths();
    ort.env.wasm.numThreads = this.threads();
  }

  private threads(): number {
    return this.options.threads ?? deviceThreadBudget().asr;
  }

  private fetcher(): (url: string, init?: RequestInit) => Promise<Response> {
    return this.options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** Whether the source has `url` (a network failure fails the load: guessing "no" would load a broken model). */
  private async exists(url: string): Promise<boolean> {
    const response = await this.fetcher()(url, { method: 'HEAD' });
    return response.ok;
  }

  /** Fetches the files in parallel, reporting the bytes of all of them as one total. */
  private async fetchAll(urls: string[], paths: string[], onProgress?: (progress: LoadProgress) => void): Promise<Uint8Array[]> {
    const responses = await Promise.all(
      urls.map(async (url) => {
        const response = await this.fetcher()(url);
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response;
      }),
    );
    const total = responses.reduce((sum, r) => sum + Number(r.headers.get('content-length') ?? 0), 0);
    let loaded = 0;
    let lastSent = 0;
    const report = (force: boolean): void => {
      const now = Date.now();
      if (!onProgress || (!force && now - lastSent < PROGRESS_INTERVAL_MS)) return;
      lastSent = now;
      onProgress({ stage: 'asr', loaded, total: Math.max(total, loaded), status: 'downloading' });
    };
    return Promise.all(
      responses.map(async (response, i) => {
        const chunks: Uint8Array[] = [];
        const reader = response.body?.getReader();
        if (reader) {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            chunks.push(value);
            loaded += value.byteLength;
            report(false);
          }
        }
        const bytes = reader ? concat(chunks) : new Uint8Array(await response.arrayBuffer());
        if (!reader) loaded += bytes.byteLength;
        report(true);
        onProgress?.({ stage: 'asr', file: paths[i], loaded: 0, total: 0, status: 'loading' });
        return bytes;
      }),
    );
  }
}

/**
 * The Parakeet warm-up: a second of silence through the whole model: the mel step, the encoder,
 * and the decoder+joint on every encoder frame (blanks).
 */
export async function warmUpParakeet(model: ParakeetModel): Promise<void> {
  await model.transcribe(new Float32Array(SAMPLE_RATE), SAMPLE_RATE, { enableProfiling: false });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
