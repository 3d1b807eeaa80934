import { useModels, type ModelsPhase } from '../../stores/models-store.ts';
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

/** While loading, what the model store is doing says more than "Loading". */
const loadingLabels: Partial<Record<ModelsPhase, string>> = {
  'needs-approval': 'Models not downloaded yet',
  downloading: 'Downloading models',
};

export function StatusIndicator() {
  const state = useSession((s) => s.state);
  const muted = useSession((s) => s.muted);
  const modelsPhase = useModels((s) => s.phase);
  const label = muted && state === 'listening' ? 'Muted' : ((state === 'loading' && loadingLabels[modelsPhase]) || labels[state]);
  return (
    <div className={`status status-${state}`} role="status" aria-live="polite" data-testid="pipeline-state" data-state={state}>
      <span className="status-dot" aria-hidden="true" />
      {label}
    </div>
  );
}
