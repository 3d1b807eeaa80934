import { RawAudio, Tensor } from '@huggingface/transformers';
import { KokoroTTS } from 'kokoro-js';
import { KOKORO_STYLE_DIM } from './voice-blend.ts';

/** A voice kokoro-js does not ship: its phonemizer language and its style vectors. */
export interface ExtraVoice {
  language: 'a' | 'b';
  styles: Float32Array;
}

/** Blends kept made (each ~0.5 MB); one is in use at a time, a few cover previews and switching back. */
const KEPT_VOICES = 4;

/**
 * kokoro-js's KokoroTTS, able to speak with voices made on the device (blends).
 *
 * kokoro-js 1.2.1 `generate(text, { voice })` checks the voice against its fixed list and takes
 * the phonemizer's language from the id (`_validate_voice`), phonemizes and tokenizes the text,
 * then `generate_from_ids` picks the voice's style row for the token count and runs the model.
 * Its phonemizer (with its text normalisation) is not exported, so the text still goes through
 * `generate`; only the two steps that know about voices are overridden, and only for voices added
 * here: kokoro-js's own voices run its code unchanged. The blends stay in memory rather than in
 * kokoro-js's voice cache, which the model store counts as downloaded files.
 */
export class BlendingKokoroTTS extends KokoroTTS {
  private readonly extra = new Map<string, ExtraVoice>();

  static from(tts: KokoroTTS): BlendingKokoroTTS {
    return new BlendingKokoroTTS(tts.model, tts.tokenizer);
  }

  hasVoice(id: string): boolean {
    return this.extra.has(id);
  }

  addVoice(id: string, voice: ExtraVoice): void {
    this.extra.delete(id);
    this.extra.set(id, voice);
    for (const old of this.extra.keys()) {
      if (this.extra.size <= KEPT_VOICES) break;
      this.extra.delete(old);
    }
  }

  override _validate_voice(voice: string): 'a' | 'b' {
    return this.extra.get(voice)?.language ?? super._validate_voice(voice);
  }

  override async generate_from_ids(input_ids: Tensor, options: Parameters<KokoroTTS['generate_from_ids']>[1] = {}): Promise<RawAudio> {
    const voice = options.voice === undefined ? undefined : this.extra.get(options.voice);
    if (!voice) return super.generate_from_ids(input_ids, options);
    // As kokoro-js does for its voices: the row for the phoneme count (the input less its two
    // padding tokens), the last row for longer inputs.
    const rows = voice.styles.length / KOKORO_STYLE_DIM;
    const row = Math.min(Math.max((input_ids.dims.at(-1) ?? 0) - 2, 0), rows - 1);
    const style = voice.styles.slice(row * KOKORO_STYLE_DIM, (row + 1) * KOKORO_STYLE_DIM);
    const { waveform } = (await this.model({
      input_ids,
      style: new Tensor('float32', style, [1, KOKORO_STYLE_DIM]),
      speed: new Tensor('float32', [options.speed ?? 1], [1]),
    })) as { waveform: Tensor };
    return new RawAudio(waveform.data as Float32Array, 24000);
  }
}
