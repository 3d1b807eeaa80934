import { useEffect, useState } from 'react';
import { useSession, type PipelineState } from '../../stores/session-store.ts';
import { startServiceWorker } from './service-worker.ts';
import { useAppUpdate } from './update-store.ts';

/** A turn in progress: the offer waits for it to end so it never talks over the assistant. */
const MID_TURN: ReadonlySet<PipelineState> = new Set(['hearing', 'thinking', 'speaking']);

/**
 * Offers to reload when a new version of the app is ready. It only offers: the page reloads when
 * the user presses "Reload", never on its own, so a conversation is never cut off. It first
 * appears between turns, in a polite live region, without taking focus.
 * Mounting it also registers the service worker (production builds only).
 */
export function UpdatePrompt() {
  const reason = useAppUpdate((s) => s.reason);
  const applying = useAppUpdate((s) => s.applying);
  const dismissed = useAppUpdate((s) => s.dismissed);
  const accept = useAppUpdate((s) => s.accept);
  const dismiss = useAppUpdate((s) => s.dismiss);
  const midTurn = useSession((s) => MID_TURN.has(s.state));
  // Latched: once shown, the offer stays put even if a new turn starts (no flicker).
  const [shown, setShown] = useState(false);

  useEffect(() => startServiceWorker(), []);

  const offered = reason !== null && !dismissed;
  // Adjusted during render (each branch settles it, so it sets at most once per change).
  if (!offered && shown) setShown(false);
  else if (offered && !midTurn && !shown) setShown(true);

  return (
    <div role="status" aria-live="polite" className="update-region">
      {shown && offered && (
        <div data-testid="update-prompt" className="toast update-prompt">
          <p className="toast-text">
            {reason === 'activated-elsewhere'
              ? 'Hearth was updated in another window. Reload to use the new version.'
              : 'A new version of Hearth is ready. Reload when you are done talking.'}
          </p>
          <div className="toast-actions">
            <button type="button" onClick={accept} disabled={applying}>
              {applying ? 'Reloading…' : 'Reload'}
            </button>
            <button type="button" onClick={dismiss} disabled={applying}>
              Later
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
