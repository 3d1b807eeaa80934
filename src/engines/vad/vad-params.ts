import type { VadParams } from '../types.ts';

/**
 * Tuned for a conversation rather than dictation: end the turn after 0.6 s of silence (vad-web's
 * 1.4 s default feels sluggish in a dialogue), and treat under 0.25 s of speech as a click.
 */
export const DEFAULT_VAD_PARAMS: VadParams = {
  positiveSpeechThreshold: 0.5,
  negativeSpeechThreshold: 0.35,
  redemptionMs: 600,
  preSpeechPadMs: 300,
  minSpeechMs: 250,
};

/** Rejects parameter sets that would make the detector silently useless. */
export function validateVadParams(params: VadParams): void {
  const { positiveSpeechThreshold: positive, negativeSpeechThreshold: negative } = params;
  if (!(positive > 0 && positive <= 1)) throw new RangeError(`positiveSpeechThreshold must be in (0, 1], got ${positive}`);
  if (!(negative >= 0 && negative <= positive)) {
    throw new RangeError(`negativeSpeechThreshold must be in [0, positiveSpeechThreshold], got ${negative}`);
  }
  for (const key of ['redemptionMs', 'preSpeechPadMs', 'minSpeechMs'] as const) {
    if (!(params[key] >= 0)) throw new RangeError(`${key} must be >= 0, got ${params[key]}`);
  }
}
