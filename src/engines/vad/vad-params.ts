import type { VadParams } from '../types.ts';

/**
 * Tuned for a conversation rather than dictation. By default the end-of-turn model decides at
 * every pause of 0.2 s (Pipecat's Silero "stop" time before Smart Turn runs), and 2 s of silence
 * end a turn whatever it says (an unfinished thought rarely pauses longer). Silence-only mode
 * ends the turn after 0.6 s (vad-web's 1.4 s default feels sluggish in a dialogue). Under
 * 0.25 s of speech is a click.
 */
export const DEFAULT_VAD_PARAMS: VadParams = {
  positiveSpeechThreshold: 0.5,
  negativeSpeechThreshold: 0.35,
  redemptionMs: 600,
  preSpeechPadMs: 300,
  minSpeechMs: 250,
  endOfTurn: 'smart',
  shortPauseMs: 200,
  maxSilenceMs: 2000,
};

/** Rejects parameter sets that would make the detector silently useless. */
export function validateVadParams(params: VadParams): void {
  const { positiveSpeechThreshold: positive, negativeSpeechThreshold: negative } = params;
  if (!(positive > 0 && positive <= 1)) throw new RangeError(`positiveSpeechThreshold must be in (0, 1], got ${positive}`);
  if (!(negative >= 0 && negative <= positive)) {
    throw new RangeError(`negativeSpeechThreshold must be in [0, positiveSpeechThreshold], got ${negative}`);
  }
  for (const key of ['redemptionMs', 'preSpeechPadMs', 'minSpeechMs', 'shortPauseMs', 'maxSilenceMs'] as const) {
    if (!(params[key] >= 0)) throw new RangeError(`${key} must be >= 0, got ${params[key]}`);
  }
  if (params.endOfTurn !== 'smart' && params.endOfTurn !== 'silence') throw new RangeError(`endOfTurn must be smart or silence, got ${String(params.endOfTurn)}`);
  if (params.maxSilenceMs < params.shortPauseMs) {
    throw new RangeError(`maxSilenceMs (${params.maxSilenceMs}) must be at least shortPauseMs (${params.shortPauseMs})`);
  }
}
