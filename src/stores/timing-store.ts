import { create } from 'zustand';
import type { TurnTimingRecord } from '../metrics/turn-timing.ts';

/** Timing of this session's turns, newest last: the one source for the latency panel. */
interface TimingState {
  turns: TurnTimingRecord[];
  // Actions are closures over the store (no `this`): declared as function properties, so a
  // component can select one and call it detached.
  record: (timing: TurnTimingRecord) => void;
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
