import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { watchFinishedTurns } from './finished-turns.ts';
import { timingRecord } from './testing.ts';
import type { TurnTimingRecord } from './turn-timing.ts';

/** A store shaped like the app's timing store (src/stores/timing-store.ts): records upserted by turn. */
const useTimings = create<{ turns: TurnTimingRecord[]; record(timing: TurnTimingRecord): void }>()((set) => ({
  turns: [],
  record: (timing) => set((state) => ({ turns: [...state.turns.filter((t) => t.turnId !== timing.turnId), timing] })),
}));

describe('watchFinishedTurns', () => {
  it('reports each turn once, when the timing store first records its turnEnd', () => {
    const done = timingRecord();
    useTimings.getState().record(done);
    const finished: TurnTimingRecord[] = [];
    const stop = watchFinishedTurns(useTimings, (r) => finished.push(r));
    expect(finished.map((r) => r.turnId)).toEqual([done.turnId]);

    const running = timingRecord({ marks: { speechEnd: 10, transcriptFinal: 20 } });
    useTimings.getState().record(running);
    useTimings.getState().record({ ...running, marks: { ...running.marks, llmFirstToken: 30 } });
    expect(finished).toHaveLength(1);
    useTimings.getState().record({ ...running, marks: { ...running.marks, llmFirstToken: 30, turnEnd: 90 } });
    useTimings.getState().record({ ...running, marks: { ...running.marks, llmFirstToken: 30, turnEnd: 90, llmDone: 95 } });
    expect(finished.map((r) => r.turnId)).toEqual([done.turnId, running.turnId]);
    expect(finished[1]!.marks.turnEnd).toBe(90);

    stop();
    useTimings.getState().record(timingRecord());
    expect(finished).toHaveLength(2);
  });
});
