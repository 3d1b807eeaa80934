import type { AudioChunk } from '../engines/types.ts';

const SAMPLE = 'Hello! This is how I sound. What shall we talk about?';

/**
 * Speaks a short sample in a voice, for the custom voice editor, with the session's loaded TTS
 * (no second copy of the model in memory, nothing to load first; a sentence of a reply being
 * made goes first). It plays straight to the speakers, outside the conversation.
 */
export class VoicePreview {
  private context: AudioContext | undefined;
  private playing: AudioBufferSourceNode | undefined;

  constructor(private readonly synthesize: (text: string, voice: string) => Promise<AudioChunk>) {}

  /** Plays the sample in `voice` (stopping one still playing); resolves with its length in seconds when it ends. */
  async play(voice: string): Promise<number> {
    const { samples, sampleRate } = await this.synthesize(SAMPLE, voice);
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
    void this.context?.close();
    this.context = undefined;
  }
}
