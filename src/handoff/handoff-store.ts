import { create } from 'zustand';
import { NO_HANDOFF, type HandoffStatus } from './handoff-status.ts';
import { webHandoffStorage } from './handoff-storage.ts';

/** What the UI may ask of the handoff (set once the voice loop is running). */
export interface HandoffActions {
  /** The caller asks for a person with the button. */
  request(): void;
  /** The caller wants the assistant back. */
  cancel(): void;
}

interface HandoffState {
  status: HandoffStatus;
  actions: HandoffActions | null;
  setStatus(status: HandoffStatus): void;
  setActions(actions: HandoffActions | null): void;
}

/**
 * After a reload the models take a while to load before the controller resumes the handoff;
 * until then the stored handoff already tells the caller that a person is still there.
 */
function statusBeforeStart(): HandoffStatus {
  if (typeof localStorage === 'undefined') return NO_HANDOFF;
  const stored = webHandoffStorage().load();
  if (stored?.state === 'assigned') return { phase: 'with-agent', agentName: stored.agentName, reason: null };
  if (stored?.state === 'pending' || stored?.state === 'expired') return { phase: 'waiting', agentName: null, reason: null };
  return NO_HANDOFF;
}

/** The handoff as the voice app's UI shows it. */
export const useHandoff = create<HandoffState>()((set) => ({
  status: statusBeforeStart(),
  actions: null,
  setStatus: (status) => set({ status }),
  setActions: (actions) => set({ actions }),
}));
