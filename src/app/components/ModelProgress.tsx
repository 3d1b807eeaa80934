import { useSession } from '../../stores/session-store.ts';
import type { StageName } from '../../engines/types.ts';

const stageLabels: Record<StageName, string> = {
  vad: 'Voice detection',
  asr: 'Speech recognition',
  llm: 'Language model',
  tts: 'Speech synthesis',
};

function percent(loaded: number, total: number): number | undefined {
  return total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : undefined;
}

export function ModelProgress() {
  const stages = useSession((s) => s.stages);
  const entries = (Object.keys(stageLabels) as StageName[]).filter((stage) => stages[stage]);
  if (entries.length === 0 || entries.every((stage) => stages[stage]?.ready)) return null;
  return (
    <section className="model-progress" aria-label="Model loading">
      <ul>
        {entries.map((stage) => {
          const status = stages[stage]!;
          const pct = status.progress ? percent(status.progress.loaded, status.progress.total) : undefined;
          return (
            <li key={stage} data-testid={`stage-${stage}`} data-ready={status.ready}>
              <span className="stage-name">{stageLabels[stage]}</span>
              <span className="stage-model">{status.model}</span>
              {status.error ? (
                <span className="stage-error">{status.error}</span>
              ) : status.ready ? (
                <span>ready{status.backend ? ` (${status.backend})` : ''}</span>
              ) : (
                <progress max={100} value={pct} aria-label={`${stageLabels[stage]} download`} />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
