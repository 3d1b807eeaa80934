import type { TurnTimingRecord } from '../metrics/turn-timing.ts';
import { useTimings } from '../stores/timing-store.ts';

/**
 * A read-only view of what the voice loop actually did, on `window.hearthDiagnostics`: for
 * support ("is any sound coming out?") and for the browser tests, which must check that audio
 * really played rather than trusting the UI.
 */
export interface Diagnostics {
  /** Audio frames the player has rendered to the output so far. */
  renderedFrames(): Promise<number>;
  outputSampleRate(): number | undefined;
  turns(): readonly TurnTimingRecord[];
}

declare global {
  interface Window {
    hearthDiagnostics?: Diagnostics;
  }
}

export function exposeDiagnostics(player: () => { countRenderedFrames(): Promise<number>; context: BaseAudioContext } | undefined): void {
  window.hearthDiagnostics = {
    renderedFrames: async () => (await player()?.countRenderedFrames()) ?? 0,
    outputSampleRate: () => player()?.context.sampleRate,
    turns: () => useTimings.getState().turns,
  };
}
