import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MetricsSummary, StageStats } from '../../protocol/metrics.ts';
import { MetricsReport } from './MetricsReport.tsx';
import { fetchSummary, SUMMARY_ENDPOINT, type SummaryFetch } from './summary-client.ts';
import { distributionBars, eagerText, formatMs, groupKey, latencyStages, seriesFor, stageLabel } from './summary-views.ts';

const stats = (stage: string, p50: number, extra: Partial<StageStats> = {}): StageStats => ({
  stage, model: 'fixtures/chat-lm', backend: 'wasm', count: 4, p50, p95: p50 * 1.5, p99: p50 * 2, mean: p50 * 1.1, ...extra,
});

const summary: MetricsSummary = {
  from: '2030-01-01T00:00:00.000Z',
  to: '2030-01-02T00:00:00.000Z',
  turns: 4,
  interrupted: 1,
  stages: [
    stats('asr', 120, { model: 'fixtures/whisper-ask' }),
    stats('endpointing', 300, { model: null, backend: null }),
    stats('tokensPerSecond', 24.5),
    stats('voiceToVoice', 640),
    stats('voiceToVoice', 2400, { backend: 'webgpu', count: 1 }),
    stats('voiceToVoiceFromSpeechEnd', 500, { count: 1 }),
  ],
  deviceClasses: [{ deviceClass: 'desktop-nowebgpu-mid', turns: 4 }],
  appVersions: [{ appVersion: '0.1.0', turns: 4 }],
  endOfTurn: [{ reason: 'turn-model', turns: 3 }, { reason: 'unknown', turns: 1 }],
  eager: { turns: 3, started: 4, kept: 2, discarded: 2 },
  distributions: [{ stage: 'voiceToVoice', bounds: [250, 500, 750], counts: [0, 1, 2, 1] }],
  handoffs: { byReason: [{ reason: 'explicit_request', count: 2 }], timeToClaim: { count: 1, p50: 42_000, p95: 42_000 } },
  series: [
    { start: '2030-01-01T10:00:00.000Z', turns: 3, stages: [stats('voiceToVoice', 600, { count: 3 })] },
    { start: '2030-01-01T11:00:00.000Z', turns: 1, stages: [stats('voiceToVoice', 700, { count: 1 }), stats('voiceToVoice', 2400, { backend: 'webgpu', count: 1 })] },
  ],
};

describe('summary views', () => {
  it('orders stages as a turn flows and follows one group over time', () => {
    expect(latencyStages(summary)).toEqual(['voiceToVoice', 'endpointing', 'asr', 'voiceToVoiceFromSpeechEnd']);
    expect(stageLabel('voiceToVoice')).toBe('Voice to voice (from last word)');
    expect(stageLabel('voiceToVoiceFromSpeechEnd')).toMatch(/old measure/);
    const wasm = seriesFor(summary, 'voiceToVoice', groupKey({ model: 'fixtures/chat-lm', backend: 'wasm' }));
    expect(wasm.map((p) => p.p50)).toEqual([600, 700]);
    expect(distributionBars(summary.distributions[0]!).map((b) => `${b.label}:${b.value}`)).toEqual(['≤ 250 ms:0', '250 ms–500 ms:1', '500 ms–750 ms:2', '> 750 ms:1']);
    expect([formatMs(640.4), formatMs(2400), formatMs(42_000)]).toEqual(['640 ms', '2.40 s', '42.0 s']);
  });
});

describe('MetricsReport', () => {
  it('draws every chart as a captioned figure with a table alternative', () => {
    const html = renderToStaticMarkup(createElement(MetricsReport, { summary }));
    const figures = html.match(/<figure[^>]*>/g) ?? [];
    expect(figures.length).toBe(6);
    for (const id of ['stage-trend', 'dist-voiceToVoice', 'tokens-per-second', 'device-classes', 'app-versions', 'handoff-reasons']) {
      expect(html).toContain(`aria-labelledby="${id}-caption"`);
      expect(html).toContain(`<figcaption id="${id}-caption"`);
    }
    expect((html.match(/role="img"/g) ?? []).length).toBe(6);
    expect((html.match(/Show as a table/g) ?? []).length).toBe(6);
    expect(html).toContain('Voice to voice (from last word) over time — fixtures/chat-lm on wasm');
    expect(html).toContain('Voice to voice (from last word): distribution');
    expect(html).toContain('2 kept, 2 discarded of 4 (3 turns)');
    expect(html).toContain('turn model 3');
    expect(html).toContain('24.5 tokens/s');
    expect(html).toContain('explicit request');
    expect(html).toContain('42.0 s');
  });

  it('says so when the window is empty', () => {
    const empty: MetricsSummary = {
      ...summary, turns: 0, interrupted: 0, stages: [], deviceClasses: [], appVersions: [], distributions: [], series: [],
      endOfTurn: [], eager: { turns: 0, started: 0, kept: 0, discarded: 0 },
      handoffs: { byReason: [], timeToClaim: { count: 0, p50: null, p95: null } },
    };
    const html = renderToStaticMarkup(createElement(MetricsReport, { summary: empty }));
    expect(eagerText(empty.eager)).toBeUndefined();
    expect(html).not.toContain('Eager replies');
    expect(html).toContain('Voice to voice (from last word): distribution');
    expect(html).toContain('No turns in this window yet.');
    expect(html).toContain('No handoffs in this window.');
  });
});

describe('fetchSummary', () => {
  const answer = (status: number, body: unknown): SummaryFetch => async () => ({ status, ok: status < 300, json: async () => body });
  const request = { from: new Date('2030-01-01T00:00:00Z'), to: new Date('2030-01-02T00:00:00Z'), bucket: '1h' as const };

  it('asks the agent path, where the browser sends the session cookie', async () => {
    let asked = '';
    await fetchSummary(request, async (url) => {
      asked = url;
      return { status: 200, ok: true, json: async () => summary };
    });
    expect(asked).toBe(`${SUMMARY_ENDPOINT}?from=2030-01-01T00%3A00%3A00.000Z&to=2030-01-02T00%3A00%3A00.000Z&bucket=1h`);
    expect(SUMMARY_ENDPOINT.startsWith('/api/v1/agent/')).toBe(true);
  });

  it('tells signed-out, failed and unreadable answers apart', async () => {
    expect(await fetchSummary(request, answer(200, summary))).toEqual({ kind: 'ok', summary });
    expect(await fetchSummary(request, answer(401, {}))).toEqual({ kind: 'signed-out' });
    expect(await fetchSummary(request, answer(400, { error: { code: 'invalid_query', message: '`from` must be before `to`.' } }))).toEqual({ kind: 'error', message: '`from` must be before `to`.' });
    expect((await fetchSummary(request, answer(200, { nope: true }))).kind).toBe('error');
    expect(await fetchSummary(request, async () => { throw new TypeError('offline'); })).toEqual({ kind: 'error', message: 'The relay could not be reached.' });
  });
});
