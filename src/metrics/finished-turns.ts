import type { TurnTimingRecord } from './turn-timing.ts';

/** The part of a Zustand store this needs: its current turns and a change feed. */
export interface TurnSource {
  getState(): { turns: readonly TurnTimingRecord[] };
  subscribe(listener: (state: { turns: readonly TurnTimingRecord[] }) => void): () => void;
}

/**
 * Calls `onFinished` once per turn, the first time its record carries `turnEnd` (the voice
 * loop's `turn-end` event). Records keep updating while a turn runs; only the finished one counts.
 */
export function watchFinishedTurns(source: TurnSource, onFinished: (record: TurnTimingRecord) => void): () => void {
  const seen = new Set<string>();
  const check = (turns: readonly TurnTimingRecord[]) => {
    for (const record of turns) {
      if (record.marks.turnEnd === undefined || seen.has(record.turnId)) continue;
      seen.add(record.turnId);
      onFinished(record);
    }
  };
  check(source.getState().turns);
  return source.subscribe((state) => check(state.turns));
}
