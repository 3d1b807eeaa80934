import { KokoroTTS } from 'kokoro-js';
import { ownedSamples } from '../audio-transfer.ts';
import { StageError } from '../stage-error.ts';
import { throwIfAborted } from '../transformers/abort-criteria.ts';
import { configureTransformersEnv } from '../transformers/configure-env.ts';
import { loadError } from '../transformers/load-error.ts';
import { progressForwarder } from '../transformers/load-progress.ts';
import { ortWebGpuDevice } from '../transformers/ort-device.ts';
import { finishLoad } from '../transformers/warm-up.ts';
import type {
  AudioChunk,
  Backend,
  LoadedStage,
  ModelSource,
  ProgressOptions,
  SynthesizeOptions,
  TtsEngine,
  TtsLoadOptions,
} from '../types.ts';
import { DeviceLossTracker } from '../webgpu/device-loss.ts';
import { BlendingKokoroTTS } from './blending-kokoro.ts';
import { provideVoice, voiceStyles } from './kokoro-voices.ts';
import { blendLanguage, blendStyles, isBlendVoiceId, parseBlendVoiceId } from './voice-blend.ts';

/** Kokoro's quantized kernels are slow or missing on WebGPU; on wasm q8 is about 2x faster than fp32. */
export const TTS_DEFAULT_DTYPE: Record<Backend, 'fp32' | 'q8'> = { webgpu: 'fp32', wasm: 'q8' };

type KokoroDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';
type KokoroVoice = NonNullable<NonNullable<Parameters<KokoroTTS['generate']>[1]>['voice']>;
const KOKORO_DTYPES: readonly KokoroDtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];
/**
 * The warm-up's text: one short word. On a Kokoro-82M-sized model in Node (1 thread) it took the
 * first real sentence from ~4.6 s to ~2.7 s CPU (a second one: ~2.6 s); a whole sentence warmed no better.
 */
const WARM_UP_TEXT = 'Hello.';

interface LoadedKokoro {
  tts: BlendingKokoroTTS;
  source: ModelSource;
  model: string;
}

/** Kokoro-82M through kokoro-js; runs inside the TTS worker. Output is 24 kHz mono. */
export class KokoroTtsEngine implements TtsEngine {
  private loaded: LoadedKokoro | null = null;
  private readonly gpu = new DeviceLossTracker('tts');

  async load(options: TtsLoadOptions & ProgressOptions): Promise<LoadedStage> {
    const started = performance.now();
    const dtype = kokoroDtype(options.dtype ?? TTS_DEFAULT_DTYPE[options.backend]);
    await this.unload();
    configureTransformersEnv(options.source, 'tts');
    try {
      const tts = BlendingKokoroTTS.from(
        await KokoroTTS.from_pretrained(options.model, {
          dtype,
          device: options.backend,
          progress_callback: progressForwarder('tts', options.onProgress),
        }),
      );
      if (options.backend === 'webgpu') {
        const device = await ortWebGpuDevice();
        if (device) this.gpu.watch(device);
      }
      this.loaded = { tts, source: options.source, model: options.model };
    } catch (error) {
      this.loaded = null;
      throw loadError('tts', options.model, options.backend, error, this.gpu);
    }
    // Fetches the voice and warms the phonemizer and the model's kernels, so the first sentence
    // pays for none of it. Without a voice there is nothing to speak with: the first sentence warms.
    const voice = options.voice;
    return finishLoad({
      stage: 'tts',
      model: options.model,
      backend: options.backend,
      dtype,
      onProgress: options.onProgress,
      startedAt: started,
      inference: voice ? () => this.synthesize(WARM_UP_TEXT, { voice }) : undefined,
      gpu: this.gpu,
      unload: () => this.unload(),
    });
  }

  async synthesize(text: string, options: SynthesizeOptions): Promise<AudioChunk> {
    const loaded = this.loaded;
    if (!loaded) throw new StageError('tts', 'not-loaded', 'synthesize() called before load()');
    this.gpu.throwIfLost();
    throwIfAborted(options.signal);
    const voice = await prepareVoice(loaded, options.voice);
    throwIfAborted(options.signal);
    try {
      // kokoro-js cannot stop mid-utterance; a sentence is short, and the client has already
      // rejected on abort, so the result is simply dropped.
      const audio = await loaded.tts.generate(text, { voice, speed: options.speed ?? 1 });
      throwIfAborted(options.signal);
      // RawAudio may hold one array per channel; Kokoro is mono.
      const samples = Array.isArray(audio.audio) ? audio.audio[0] : audio.audio;
      if (!samples) throw new Error('Kokoro returned no audio');
      return { samples: ownedSamples(samples), sampleRate: audio.sampling_rate };
    } catch (error) {
      throw this.gpu.classify(error);
    }
  }

  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    this.gpu.reset();
    await loaded?.tts.model.dispose();
  }
}

function kokoroDtype(value: string): KokoroDtype {
  const dtype = KOKORO_DTYPES.find((known) => known === value);
  if (!dtype) throw new StageError('tts', 'load-failed', `unknown Kokoro dtype "${value}" (expected ${KOKORO_DTYPES.join(', ')})`);
  return dtype;
}

/**
 * Makes `voice` ready to speak: a Kokoro voice is fetched into kokoro-js's cache; a blend
 * (voice-blend.ts) is made from its voices' files once and kept in memory.
 */
async function prepareVoice({ tts, source, model }: LoadedKokoro, voice: string): Promise<KokoroVoice> {
  if (!isBlendVoiceId(voice)) {
    const known = kokoroVoice(tts, voice);
    await provideVoice(source, model, known);
    return known;
  }
  if (!tts.hasVoice(voice)) {
    const parts = parseBlendVoiceId(voice);
    for (const part of parts) kokoroVoice(tts, part.voice);
    const styles = await Promise.all(parts.map(async (part) => ({ styles: await voiceStyles(source, model, part.voice), weight: part.weight })));
    tts.addVoice(voice, { language: blendLanguage(parts), styles: blendStyles(styles) });
  }
  // kokoro-js types the voice as one of its own; BlendingKokoroTTS also takes the blend's id.
  return voice as KokoroVoice;
}

function kokoroVoice(tts: KokoroTTS, voice: string): KokoroVoice {
  if (!Object.hasOwn(tts.voices, voice)) {
    throw new Error(`unknown voice "${voice}" (expected one of ${Object.keys(tts.voices).join(', ')})`);
  }
  return voice as KokoroVoice;
}
