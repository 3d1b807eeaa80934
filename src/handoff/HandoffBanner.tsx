import './handoff.css';
import { useHandoff } from './handoff-store.ts';

/**
 * Who the caller is talking to, always visible while a person is involved: connecting,
 * waiting, or the person's name. Offers a person when there is none, and the way back.
 */
export function HandoffBanner() {
  const { phase, agentName } = useHandoff((s) => s.status);
  const actions = useHandoff((s) => s.actions);
  if (phase === 'off') {
    if (!actions) return null;
    return (
      <div className="handoff handoff-off" data-testid="handoff-status" data-phase="off">
        <button type="button" className="handoff-request" onClick={() => actions.request()}>
          Talk to a person
        </button>
      </div>
    );
  }
  const text =
    phase === 'connecting'
      ? 'Connecting you to a person…'
      : phase === 'waiting'
        ? 'Waiting for a person to join. Keep talking: they will read what you say.'
        : `You're talking with ${agentName ?? 'a person'} (a person). Your words reach them as text; your voice stays on this device.`;
  return (
    <div className={`handoff handoff-${phase}`} role="status" aria-live="polite" data-testid="handoff-status" data-phase={phase}>
      <span className="handoff-text">{text}</span>
      {actions && (
        <button type="button" onClick={() => actions.cancel()}>
          Back to the assistant
        </button>
      )}
    </div>
  );
}
