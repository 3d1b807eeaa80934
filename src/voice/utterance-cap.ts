// Bounds the audio of one utterance: ASR models have a window (Whisper: 30 s), and a VAD that never
// hears silence (a TV, a fan) must not make one endless turn.

export interface CappedUtterance {
  audio: Float32Array;
  capped: boolean;
  /** Length of the original utterance. */
  seconds: number;
}

export function capUtterance(audio: Float32Array, maxSeconds: number, sampleRate = 16000): CappedUtterance {
  const seconds = audio.length / sampleRate;
  const maxSamples = Math.floor(maxSeconds * sampleRate);
  if (audio.length <= maxSamples) return { audio, capped: false, seconds };
  // Keep the beginning: that is where the request is; the rest is usually trailing noise.
  return { audio: audio.subarray(0, maxSamples), capped: true, seconds };
}
