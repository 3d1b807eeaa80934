import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { MetricsBatchResponseSchema, MetricsSummarySchema, type TurnMetric } from '../../src/protocol/metrics.ts';
import { storeKinds, type TestDatabase } from '../store/testing.ts';
import { createDevice, handoffApp, loginAgent, type AgentClient } from '../test-support/handoff-harness.ts';
import { scrape } from '../test-support/prometheus.ts';

function turn(overrides: Partial<TurnMetric> = {}, durations: TurnMetric['durations'] = {}): TurnMetric {
  return {
    turnId: randomUUID(),
    sessionId: 'session-0001',
    endedAt: new Date().toISOString(),
    source: 'voice',
    // Voice to voice from the last word: endpointing and the stages after it add up to it.
    durations: { endpointing: 300, asr: 120, llmTtft: 200, firstSentence: 150, ttsFirstAudio: 90, playout: 40, voiceToVoice: 900, tokensPerSecond: 25, ...durations },
    tokens: 40,
    models: { asr: 'fixtures/whisper-ask', llm: 'fixtures/chat-lm', tts: 'fixtures/kokoro' },
    backends: { asr: 'wasm', llm: 'wasm', tts: 'wasm' },
    deviceClass: 'desktop',
    interrupted: false,
    timingVersion: 2,
    ...overrides,
  };
}

describe.each(storeKinds())('metrics ingestion on $kind', ({ skip, open }) => {
  let t: TestDatabase;
  let app: Hono;
  let agent: AgentClient;
  beforeAll(async () => {
    if (skip) return;
    t = await open();
    ({ app } = handoffApp(t.db, { metricsToken: 'scrape-secret' }));
    agent = await loginAgent(app, t.db);
  });
  afterAll(async () => t?.cleanup());

  const send = async (turns: unknown[], type = 'application/json') => {
    const res = await app.request('/api/v1/metrics', { method: 'POST', body: JSON.stringify({ turns }), headers: { 'Content-Type': type } });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it.skipIf(skip)('stores a batch, ignores replays, and keeps valid turns next to bad ones', async () => {
    const a = turn();
    const b = turn({}, { voiceToVoice: 800 });
    const first = await send([a, b]);
    expect(first.status).toBe(200);
    expect(MetricsBatchResponseSchema.parse(first.body)).toEqual({ accepted: 2, duplicates: 0, rejected: [] });

    const replay = await send([a, b], 'text/plain;charset=UTF-8');
    expect(replay.body).toEqual({ accepted: 0, duplicates: 2, rejected: [] });

    const c = turn();
    const mixed = await send([c, { ...turn(), durations: { asr: -5 } }, { turnId: 'x' }, c, 'garbage', { ...turn(), transcript: 'secret words' }]);
    const body = MetricsBatchResponseSchema.parse(mixed.body);
    expect(body.accepted).toBe(2);
    expect(body.duplicates).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 4]);
    expect(body.rejected[0]!.message).toMatch(/durations.asr/);
    const stored = await t.db.query('select * from turn_metrics');
    expect(JSON.stringify(stored.rows)).not.toContain('secret words');
  });

  it.skipIf(skip)('refuses malformed, empty, oversized and mistyped batches', async () => {
    const post = (body: string, type = 'application/json') => app.request('/api/v1/metrics', { method: 'POST', body, headers: { 'Content-Type': type } });
    expect((await post('{"turns": [')).status).toBe(400);
    expect((await post('{"turns": []}')).status).toBe(400);
    expect((await post(JSON.stringify({ turns: Array(101).fill(turn()) }))).status).toBe(400);
    expect((await post(JSON.stringify({ turns: [turn()] }), 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post(JSON.stringify({ turns: [{ ...turn(), pad: 'x'.repeat(1_000_000) }] }))).status).toBe(413);
  });

  it.skipIf(skip)('summarises percentiles per stage, model and backend, for agents only', async () => {
    await t.db.exec('delete from turn_metric_values; delete from turn_metrics;');
    const turns = Array.from({ length: 100 }, (_, i) => turn({ deviceClass: i < 30 ? 'mobile' : 'desktop' }, { voiceToVoice: i + 1, asr: 100 }));
    turns.push(turn({ backends: { asr: 'wasm', llm: 'webgpu', tts: 'wasm' } }, { voiceToVoice: 5000 }));
    expect((await send(turns.slice(0, 60))).body).toMatchObject({ accepted: 60 });
    expect((await send(turns.slice(60))).body).toMatchObject({ accepted: 41 });

    expect((await app.request('/api/v1/metrics/summary')).status).toBe(401);
    const res = await agent.request('/api/v1/metrics/summary');
    expect(res.status).toBe(200);
    const summary = MetricsSummarySchema.parse(await res.json());
    expect(summary.turns).toBe(101);
    const v2v = summary.stages.find((s) => s.stage === 'voiceToVoice' && s.backend === 'wasm')!;
    expect(v2v).toMatchObject({ model: 'fixtures/chat-lm', count: 100 });
    expect(v2v.p50).toBeCloseTo(50.5, 5);
    expect(v2v.p95).toBeCloseTo(95.05, 5);
    expect(v2v.p99).toBeCloseTo(99.01, 5);
    expect(summary.stages.find((s) => s.stage === 'voiceToVoice' && s.backend === 'webgpu')).toMatchObject({ count: 1, p50: 5000 });
    expect(summary.stages.find((s) => s.stage === 'asr')).toMatchObject({ model: 'fixtures/whisper-ask', count: 101, p99: 100 });
    expect(summary.stages.find((s) => s.stage === 'endpointing')).toMatchObject({ model: null, backend: null });
    expect(summary.deviceClasses).toEqual([{ deviceClass: 'desktop', turns: 71 }, { deviceClass: 'mobile', turns: 30 }]);
    // Internally consistent: each stage >= 0, and the parts before audio fit inside voice-to-voice.
    for (const s of summary.stages) if (s.stage !== 'orchestrationOverhead') expect(s.p50).toBeGreaterThanOrEqual(0);

    const bucketed = MetricsSummarySchema.parse(await (await agent.request('/api/v1/metrics/summary?bucket=1h')).json());
    expect(bucketed.series!.reduce((n, b) => n + b.turns, 0)).toBe(101);
    expect((await agent.request('/api/v1/metrics/summary?bucket=7h')).status).toBe(400);
    expect((await agent.request('/api/v1/metrics/summary?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z')).status).toBe(400);
    const empty = MetricsSummarySchema.parse(await (await agent.request('/api/v1/metrics/summary?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z')).json());
    expect(empty).toMatchObject({ turns: 0, stages: [] });
  });

  it.skipIf(skip)('reports handoffs by reason and time to claim', async () => {
    const device = await createDevice(app);
    await agent.post(`/api/v1/agent/conversations/${device.id}/claim`);
    const summary = MetricsSummarySchema.parse(await (await agent.request('/api/v1/metrics/summary')).json());
    expect(summary.handoffs.byReason).toContainEqual({ reason: 'explicit_request', count: expect.any(Number) });
    expect(summary.handoffs.timeToClaim.count).toBeGreaterThanOrEqual(1);
    expect(summary.handoffs.timeToClaim.p50).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(skip)('spreads whole-turn latencies into buckets and counts app versions, also under /agent/', async () => {
    await t.db.exec('delete from turn_metric_values; delete from turn_metrics;');
    const v2v = [0, 250, 251, 900, 1200, 4000, 12_000];
    const turns = v2v.map((ms, i) => turn({ appVersion: i < 5 ? '0.2.0' : '0.1.0' }, { voiceToVoice: ms }));
    turns.push(turn({ source: 'text' }, { voiceToVoice: undefined, textToVoice: 700 }));
    expect((await send(turns)).body).toMatchObject({ accepted: 8 });

    const res = await agent.request('/api/v1/agent/metrics/summary');
    expect(res.status).toBe(200);
    const summary = MetricsSummarySchema.parse(await res.json());
    expect(summary.appVersions).toEqual([{ appVersion: '0.2.0', turns: 5 }, { appVersion: '0.1.0', turns: 2 }, { appVersion: 'unknown', turns: 1 }]);
    const voice = summary.distributions.find((d) => d.stage === 'voiceToVoice')!;
    expect(voice.bounds).toEqual([250, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000]);
    expect(voice.counts).toEqual([2, 1, 0, 1, 1, 0, 0, 1, 0, 1]);
    expect(summary.distributions.find((d) => d.stage === 'textToVoice')!.counts.reduce((a, b) => a + b)).toBe(1);
    expect((await app.request('/api/v1/agent/metrics/summary')).status).toBe(401);
  });
  it.skipIf(skip)('keeps voice to voice from old apps apart, and counts eager replies and how turns ended', async () => {
    await t.db.exec('delete from turn_metric_values; delete from turn_metrics;');
    // An app from before timingVersion: its voice to voice ran from the end of the silence wait.
    const { timingVersion: _, ...old } = turn({}, { voiceToVoice: 600 });
    const turns = [
      old,
      turn({ endOfTurn: 'turn-model', eager: { started: 2, kept: 1, discarded: 1 } }, { voiceToVoice: 700, turnModel: 18 }),
      turn({ endOfTurn: 'silence', eager: { started: 1, kept: 0, discarded: 1 } }, { voiceToVoice: 1100 }),
      turn({ endOfTurn: 'silence' }, { voiceToVoice: 1300 }),
      turn({ source: 'text', endOfTurn: 'text' }, { endpointing: undefined, asr: undefined, voiceToVoice: undefined, textToVoice: 480 }),
    ];
    const before = await scrape(app, 'scrape-secret');
    expect((await send(turns)).body).toMatchObject({ accepted: 5 });

    const summary = MetricsSummarySchema.parse(await (await agent.request('/api/v1/metrics/summary')).json());
    expect(summary.stages.filter((s) => s.stage === 'voiceToVoice')).toEqual([expect.objectContaining({ count: 3, p50: 1100 })]);
    expect(summary.stages.filter((s) => s.stage === 'voiceToVoiceFromSpeechEnd')).toEqual([expect.objectContaining({ count: 1, p50: 600, model: 'fixtures/chat-lm' })]);
    // The distribution is of the new measure only.
    expect(summary.distributions.find((d) => d.stage === 'voiceToVoice')!.counts.reduce((a, b) => a + b)).toBe(3);
    expect(summary.distributions.map((d) => d.stage)).not.toContain('voiceToVoiceFromSpeechEnd');
    expect(summary.stages.find((s) => s.stage === 'turnModel')).toMatchObject({ model: null, backend: null, count: 1, p50: 18 });
    expect(summary.eager).toEqual({ turns: 2, started: 3, kept: 1, discarded: 2 });
    expect(summary.endOfTurn).toEqual([
      { reason: 'silence', turns: 2 },
      { reason: 'text', turns: 1 },
      { reason: 'turn-model', turns: 1 },
      { reason: 'unknown', turns: 1 },
    ]);
    const stored = await t.db.query<{ timing_version: number; n: number }>('select timing_version, count(*)::int as n from turn_metrics group by 1 order by 1');
    expect(stored.rows).toEqual([{ timing_version: 1, n: 1 }, { timing_version: 2, n: 4 }]);

    // Prometheus counts what this relay stored since it started: the difference this batch made.
    const after = await scrape(app, 'scrape-secret');
    const added = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(added('relay_eager_replies_total', { outcome: 'started' })).toBe(3);
    expect(added('relay_eager_replies_total', { outcome: 'kept' })).toBe(1);
    expect(added('relay_eager_replies_total', { outcome: 'discarded' })).toBe(2);
    expect(added('relay_turn_commits_total', { reason: 'turn-model' })).toBe(1);
    expect(added('relay_turn_commits_total', { reason: 'unknown' })).toBe(1);
    expect(added('relay_turn_stage_duration_seconds_count', { stage: 'voiceToVoice', model: 'fixtures/chat-lm', backend: 'wasm' })).toBe(3);
    expect(added('relay_turn_stage_duration_seconds_count', { stage: 'voiceToVoiceFromSpeechEnd', model: 'fixtures/chat-lm', backend: 'wasm' })).toBe(1);
  });

  it.skipIf(skip)('reports zero eager replies and no reasons for an empty window', async () => {
    const empty = MetricsSummarySchema.parse(await (await agent.request('/api/v1/metrics/summary?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z')).json());
    expect(empty.eager).toEqual({ turns: 0, started: 0, kept: 0, discarded: 0 });
    expect(empty.endOfTurn).toEqual([]);
  });
});
