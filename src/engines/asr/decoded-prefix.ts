// Parakeet's decoder state can be carried from one piece of audio to the next (parakeet.js's
// `previousDecoderState`), so an utterance transcribed at a pause need not be decoded again when
// the user goes on: the voice loop transcribes the audio so far at each pause (the eager turn),
// and when the end-of-turn model says "not done", the next transcription gets the same audio and
// more. Only the new part is encoded and decoded then, so the cost after the last word is the
// last phrase's, not the whole utterance's.
//
// The encoder sees each part without the other's context, which costs accuracy only where the
// cut falls inside a word: only a transcription whose audio ended in a pause (its last
// PAUSE_SECONDS quiet, as the eager transcription's does) is kept to build on. A partial
// transcript's audio, cut mid-speech, builds on the last pause too but is not kept itself.

/** What one transcription decoded, kept for the next call. */
export interface DecodedPrefix<State> {
  audio: Float32Array;
  text: string;
  /** The decoder's state after the audio (parakeet.js's snapshot: plain data). */
  state: State;
}

/**
 * How long the end of a prefix must be quiet for the cut to fall between words: under the voice
 * detector's short pause (`shortPauseMs`, 200 ms), after which the eager transcription starts.
 */
export const PAUSE_SECONDS = 0.15;
/** Quiet: RMS under this share of the prefix's loudest 100 ms window (speech level, whatever the gain). */
const QUIET_SHARE = 0.1;
const WINDOW_SECONDS = 0.1;

function rms(samples: Float32Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i]! * samples[i]!;
  return end > start ? Math.sqrt(sum / (end - start)) : 0;
}

/** Whether the last PAUSE_SECONDS of `audio` are quiet next to its loudest window. */
export function endsInPause(audio: Float32Array, sampleRate: number): boolean {
  const pause = Math.round(PAUSE_SECONDS * sampleRate);
  const window = Math.round(WINDOW_SECONDS * sampleRate);
  if (audio.length < pause + window) return false;
  let loudest = 0;
  for (let start = 0; start + window <= audio.length - pause; start += window) loudest = Math.max(loudest, rms(audio, start, start + window));
  return loudest > 0 && rms(audio, audio.length - pause, audio.length) < loudest * QUIET_SHARE;
}

/** `prefix` when `audio` starts with exactly its samples and goes on past them (the same utterance, later). */
export function reusablePrefix<State>(prefix: DecodedPrefix<State> | undefined, audio: Float32Array): DecodedPrefix<State> | undefined {
  if (!prefix || audio.length <= prefix.audio.length) return undefined;
  const before = prefix.audio;
  for (let i = 0; i < before.length; i++) if (audio[i] !== before[i]) return undefined;
  return prefix;
}

/** The prefix's words and the new part's, as one transcript. */
export function joinTranscripts(prefix: string, rest: string): string {
  return [prefix.trim(), rest.trim()].filter((part) => part !== '').join(' ');
}
