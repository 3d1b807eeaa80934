import { create } from 'zustand';

/**
 * Why a reload is offered. `waiting`: a new version is installed and waits for the user's yes.
 * `activated-elsewhere`: another tab accepted it, so this tab runs the old code until it reloads.
 */
export type UpdateReason = 'waiting' | 'activated-elsewhere';

interface UpdateState {
  reason: UpdateReason | null;
  /** The user said "later": hidden until the next offer. */
  dismissed: boolean;
  /** The user accepted; the page is about to reload. */
  applying: boolean;
  /** Applies the update; set by the service worker registration, called only on the user's yes. */
  apply: (() => void) | null;
  // Actions are closures over the store (no `this`): declared as function properties, so a
  // component can select one and call it detached.
  offer: (reason: UpdateReason, apply: () => void) => void;
  accept: () => void;
  dismiss: () => void;
}

export const useAppUpdate = create<UpdateState>()((set, get) => ({
  reason: null,
  dismissed: false,
  applying: false,
  apply: null,
  offer: (reason, apply) => set({ reason, apply, dismissed: false, applying: false }),
  accept: () => {
    const { apply, applying } = get();
    if (!apply || applying) return;
    set({ applying: true });
    apply();
  },
  dismiss: () => set({ dismissed: true }),
}));
