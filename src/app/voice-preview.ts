import { TtsClient } from '../engines/tts/tts-client.ts';
import type { ModelSourceInfo } from './voice-controller.ts';

const SAMPLE = 'Hello! This is how I sound. What shall we talk about?';

/**
 * Speaks a short sample in a voice, for the custom voice editor. It runs a TTS worker of its own,
 * loaded at the first preview and ended with the editor: the session's worker belongs to the
 * replies, and a preview must neither wait behind a reply nor cut into one. The model loads from
 * the device's cache, where the model store put the session's, on the CPU (always there; the
 * session may hold the GPU). It plays straight to the speakers, outside the conversation.
 */
export class VoicePreview {
  private tts: Promise<TtsClient> | undefined;
  private context: AudioContext | undefined;
  private playing: AudioBufferSourceNode | undefined;

  constructor(private readonly modelSource: () => ModelSourceInfo | undefined) {}

  /** Plays the sample in `voice` (stopping one still playing); resolves with its length in seconds when it ends. */
  async play(voice: string): Promise<number> {
    const tts = await this.loaded();
    const { samples, sampleRate } = await tts.synthesize(SAMPLE, { voice });
    this.stop();
    const context = (this.context ??= new AudioContext());
    await context.resume();
    const buffer = context.createBuffer(1, samples.length, sampleRate);
    buffer.getChannelData(0).set(samples);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    const ended = new Promise<void>((resolve) => source.addEventListener('ended', () => resolve()));
    this.playing = source;
    source.start();
    await ended;
    return buffer.duration;
  }

  stop(): void {
    this.playing?.stop();
    this.playing = undefined;
  }

  dispose(): void {
    this.stop();
    void this.tts?.then((tts) => tts.terminate(), () => undefined);
    this.tts = undefined;
    void this.context?.close();
    this.context = undefined;
  }

  private loaded(): Promise<TtsClient> {
    this.tts ??= this.load();
    // A failed load (offline, models not downloaded yet) is tried again at the next preview.
    this.tts.catch(() => (this.tts = undefined));
    return this.tts;
  }

  private async load(): Promise<TtsClient> {
    const info = this.modelSource();
    const request = info?.requests.find((r) => r.stage === 'tts');
    if (!info || !request) throw new Error('The voice model is not ready yet.');
    const tts = new TtsClient();
    try {
      await tts.load({ model: request.model, dtype: request.dtype, backend: 'wasm', source: info.source });
    } catch (error) {
      tts.terminate();
      throw error;
    }
    return tts;
  }
}
