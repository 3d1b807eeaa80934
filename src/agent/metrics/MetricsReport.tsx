import type { MetricsSummary } from '../../protocol/metrics.ts';
import { BarFigure } from './BarFigure.tsx';
import { StageTable } from './StageTable.tsx';
import { StageTrend } from './StageTrend.tsx';
import { countBars, distributionBars, eagerText, formatMs, stageLabel, tokensPerSecondBars } from './summary-views.ts';

const END_OF_TURN_LABELS: Record<string, string> = { 'turn-model': 'turn model', silence: 'silence', text: 'typed' };

function Headline({ summary }: { summary: MetricsSummary }) {
  const handoffs = summary.handoffs.byReason.reduce((n, r) => n + r.count, 0);
  const claim = summary.handoffs.timeToClaim;
  const share = summary.turns > 0 ? ` (${Math.round((100 * summary.interrupted) / summary.turns)}%)` : '';
  const eager = eagerText(summary.eager);
  const reasons = summary.endOfTurn.filter((r) => r.reason !== 'unknown');
  return (
    <dl className="metrics-headline">
      <div>
        <dt>Turns</dt>
        <dd data-testid="metrics-turns">{summary.turns}</dd>
      </div>
      <div>
        <dt>Interrupted</dt>
        <dd>
          {summary.interrupted}
          {share}
        </dd>
      </div>
      <div>
        <dt>Handoffs</dt>
        <dd>{handoffs}</dd>
      </div>
      <div>
        <dt>Time to claim (p50 / p95)</dt>
        <dd>{claim.count === 0 || claim.p50 === null ? '—' : `${formatMs(claim.p50)} / ${formatMs(claim.p95 ?? claim.p50)}`}</dd>
      </div>
      {reasons.length > 0 && (
        <div>
          <dt>Turn ended by</dt>
          <dd data-testid="metrics-end-of-turn">{reasons.map((r) => `${END_OF_TURN_LABELS[r.reason] ?? r.reason} ${r.turns}`).join(', ')}</dd>
        </div>
      )}
      {eager !== undefined && (
        <div>
          <dt>Eager replies</dt>
          <dd data-testid="metrics-eager">{eager}</dd>
        </div>
      )}
    </dl>
  );
}

/** Everything the summary says, as charts with tables. */
export function MetricsReport({ summary }: { summary: MetricsSummary }) {
  const claim = summary.handoffs.timeToClaim;
  return (
    <div className="metrics-report">
      <Headline summary={summary} />
      <StageTrend summary={summary} />
      <section className="metrics-section metrics-grid-2" aria-label="Whole-turn latency distribution">
        {summary.distributions.length === 0 && (
          <BarFigure id="dist-voiceToVoice" title={`${stageLabel('voiceToVoice')}: distribution`} rows={[]} columns={['Latency', 'Turns']} empty="No voice turns in this window." />
        )}
        {summary.distributions.map((d) => (
          <BarFigure
            key={d.stage}
            id={`dist-${d.stage}`}
            title={`${stageLabel(d.stage)}: distribution`}
            note="Turns per latency range, all models."
            rows={distributionBars(d)}
            columns={['Latency', 'Turns']}
            empty="No turns."
          />
        ))}
      </section>
      <StageTable summary={summary} />
      <section className="metrics-section metrics-grid-2" aria-label="Models and devices">
        <BarFigure
          id="tokens-per-second"
          title="Tokens per second by model and backend"
          note="Median decoding speed."
          rows={tokensPerSecondBars(summary)}
          columns={['Model and backend', 'Median tokens/s']}
          empty="No decoding speeds reported in this window."
        />
        <BarFigure
          id="device-classes"
          title="Turns per device class"
          rows={countBars(summary.deviceClasses.map((d) => ({ label: d.deviceClass, count: d.turns })))}
          columns={['Device class', 'Turns']}
          empty="No turns in this window."
        />
        <BarFigure
          id="app-versions"
          title="Turns per app version"
          rows={countBars(summary.appVersions.map((v) => ({ label: v.appVersion, count: v.turns })))}
          columns={['App version', 'Turns']}
          empty="No turns in this window."
        />
        <BarFigure
          id="handoff-reasons"
          title="Handoffs by reason"
          note={claim.count > 0 && claim.p50 !== null ? `${claim.count} claimed; median time to claim ${formatMs(claim.p50)}.` : undefined}
          rows={countBars(summary.handoffs.byReason.map((r) => ({ label: r.reason.replace(/_/g, ' '), count: r.count })))}
          columns={['Reason', 'Handoffs']}
          empty="No handoffs in this window."
        />
      </section>
    </div>
  );
}
