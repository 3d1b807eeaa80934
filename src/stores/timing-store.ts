import { create } from 'zustand';
import type { TurnTimingRecord } from '../metrics/turn-timing.ts';

/** Timing of this session's turns, newest last: the one source for the latency panel. */
interface TimingState {
  turns: TurnTimingRecord[];
  record(timing: TurnTimingRecord): void;
}

export const useTimings = create<TimingState>()((set) => ({
  turns: [],
  record: (timing) =>
    set((state) => {
      const index = state.turns.findIndex((t) => t.turnId === timing.turnId);
      if (index === -1) return { turns: [...state.turns, timing] };
      const turns = state.turns.slice();
      turns[index] = timing;
      return { turns };
    }),
}));
