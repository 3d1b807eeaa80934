import { useSession } from '../../stores/session-store.ts';
import type { StageName } from '../../engines/types.ts';
import { STAGE_LABELS } from '../stage-labels.ts';


function percent(loaded: number, total: number): number | undefined {
  return total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : undefined;
}

export function ModelProgress() {
  const stages = useSession((s) => s.stages);
  const entries = (['vad', 'asr', 'llm', 'tts'] as StageName[]).filter((stage) => stages[stage]);
  if (entries.length === 0 || entries.every((stage) => stages[stage]?.ready)) return null;
  return (
    <section className="model-progress" aria-label="Model loading">
      <ul>
        {entries.map((stage) => {
          const status = stages[stage]!;
          const pct = status.progress ? percent(status.progress.loaded, status.progress.total) : undefined;
          return (
            <li key={stage} data-testid={`stage-${stage}`} data-ready={status.ready}>
              <span className="stage-name">{STAGE_LABELS[stage]}</span>
              <span className="stage-model">{status.model}</span>
              {status.error ? (
                <span className="stage-error">{status.error}</span>
              ) : status.ready ? (
                <span>ready{status.backend ? ` (${status.backend})` : ''}</span>
              ) : (
                <progress max={100} value={pct} aria-label={`${STAGE_LABELS[stage]} download`} />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
