import { useSession, type PipelineState } from '../../stores/session-store.ts';

const labels: Record<PipelineState, string> = {
  loading: 'Loading models',
  idle: 'Paused',
  listening: 'Listening',
  hearing: 'Hearing you',
  thinking: 'Thinking',
  speaking: 'Speaking',
  error: 'Needs attention',
};

export function StatusIndicator() {
  const state = useSession((s) => s.state);
  const muted = useSession((s) => s.muted);
  const label = muted && state === 'listening' ? 'Muted' : labels[state];
  return (
    <div className={`status status-${state}`} role="status" aria-live="polite" data-testid="pipeline-state" data-state={state}>
      <span className="status-dot" aria-hidden="true" />
      {label}
    </div>
  );
}
