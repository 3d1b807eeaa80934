import { create } from 'zustand';
import type { Backend, LoadProgress, StageName } from '../engines/types.ts';

/** What the voice loop is doing right now; always visible in the UI. */
export type PipelineState = 'loading' | 'idle' | 'listening' | 'hearing' | 'thinking' | 'speaking' | 'error';

export interface StageStatus {
  model: string;
  backend?: Backend;
  progress?: LoadProgress;
  ready: boolean;
  error?: string;
}

export interface Notice {
  id: string;
  level: 'info' | 'warning' | 'error';
  text: string;
  /** What the notice offers the user. */
  action?: 'retry-load' | 'use-text';
}

interface SessionState {
  state: PipelineState;
  stages: Partial<Record<StageName, StageStatus>>;
  notices: Notice[];
  /** Microphone unavailable (denied or missing): the app offers text input instead. */
  micUnavailable: boolean;
  muted: boolean;
  /** Text the user is saying, while they say it (partial transcript), if the model keeps up. */
  partialTranscript: string;
  /** The assistant's reply while it is being written and spoken (history gets it when it ends). */
  liveReply: { messageId: string; text: string; spokenChars: number } | undefined;
  // Actions are closures over the store (no `this`): declared as function properties, so a
  // component can select one and call it detached.
  setState: (state: PipelineState) => void;
  setStage: (stage: StageName, patch: Partial<StageStatus>) => void;
  notify: (notice: Omit<Notice, 'id'> & { id?: string }) => void;
  dismiss: (id: string) => void;
  set: (patch: Partial<Pick<SessionState, 'micUnavailable' | 'muted' | 'partialTranscript' | 'liveReply'>>) => void;
}

export const useSession = create<SessionState>()((set) => ({
  state: 'loading',
  stages: {},
  notices: [],
  micUnavailable: false,
  muted: false,
  partialTranscript: '',
  liveReply: undefined,
  setState: (state) => set({ state }),
  setStage: (stage, patch) =>
    set((s) => ({
      stages: { ...s.stages, [stage]: { ...(s.stages[stage] ?? { model: '', ready: false }), ...patch } },
    })),
  notify: (notice) =>
    set((s) => {
      const id = notice.id ?? crypto.randomUUID();
      return { notices: [...s.notices.filter((n) => n.id !== id), { ...notice, id }] };
    }),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  set: (patch) => set(patch),
}));
