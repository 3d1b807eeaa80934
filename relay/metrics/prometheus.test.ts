import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnMetric } from '../../src/protocol/metrics.ts';
import { resolveModels } from '../models/resolve-models.ts';
import { storeKinds, type TestDatabase } from '../store/testing.ts';
import { createDevice, handoffApp, loginAgent } from '../test-support/handoff-harness.ts';
import { scrape } from '../test-support/prometheus.ts';
import { SseReader } from '../test-support/sse-reader.ts';
import { makeMirror } from '../test-support/temp-dirs.ts';
import { knownModelIds, OTHER } from './labels.ts';

// Issue 15 items 1 and 2: `/metrics` the Prometheus way (prom-client, this process's numbers,
// observed at ingestion) with model and backend labels from a known set only.

const TOKEN = 'scrape-secret';
const UNLIMITED = { perIp: { limit: 1e9, windowMs: 60_000 }, metrics: { limit: 1e9, windowMs: 60_000 } };

function turn(overrides: Partial<TurnMetric> = {}, durations: TurnMetric['durations'] = {}): TurnMetric {
  return {
    turnId: randomUUID(),
    endedAt: new Date().toISOString(),
    source: 'voice',
    durations: { endpointing: 300, asr: 120, llmTtft: 200, voiceToVoice: 900, tokensPerSecond: 25, ...durations },
    tokens: 40,
    models: { asr: 'fixtures/whisper-ask', llm: 'fixtures/chat-lm', tts: 'fixtures/kokoro' },
    backends: { asr: 'wasm', llm: 'wasm', tts: 'wasm' },
    interrupted: false,
    timingVersion: 2,
    ...overrides,
  };
}

const post = (app: ReturnType<typeof handoffApp>['app'], turns: unknown[]) =>
  app.request('/api/v1/metrics', { method: 'POST', body: JSON.stringify({ turns }), headers: { 'Content-Type': 'application/json' } });

describe.each(storeKinds())('Prometheus metrics on $kind', ({ kind, skip, open }) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (!skip) t = await open();
  });
  afterAll(async () => t?.cleanup());

  it.skipIf(skip)('exposes process metrics and turn histograms observed at ingestion, behind the metrics token', async () => {
    const { app } = handoffApp(t.db, { metricsToken: TOKEN, limits: UNLIMITED });
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    const res = await app.request('/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);

    const turns = Array.from({ length: 100 }, (_, i) => turn({}, { voiceToVoice: i + 1 }));
    expect((await post(app, turns.slice(0, 50))).status).toBe(200);
    expect((await post(app, turns.slice(50))).status).toBe(200);
    // A replayed batch stores nothing, so it counts nothing.
    expect(await (await post(app, turns.slice(0, 10))).json()).toMatchObject({ accepted: 0, duplicates: 10 });

    const m = await scrape(app, TOKEN);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(m.get(name), name).toBeGreaterThanOrEqual(0);
    }
    expect(m.types.get('relay_turn_stage_duration_seconds')).toBe('histogram');
    const labels = { stage: 'voiceToVoice', model: 'fixtures/chat-lm', backend: 'wasm' };
    expect(m.get('relay_turn_stage_duration_seconds_count', labels)).toBe(100);
    expect(m.get('relay_turn_stage_duration_seconds_bucket', { ...labels, le: '0.05' })).toBe(50);
    expect(m.get('relay_turn_stage_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(100);
    expect(m.get('relay_turn_stage_duration_seconds_sum', labels)).toBeCloseTo(5.05, 5);
    const buckets = m.named('relay_turn_stage_duration_seconds_bucket').filter((s) => s.labels.stage === 'voiceToVoice').map((s) => s.value);
    expect(buckets).toEqual([...buckets].sort((x, y) => x - y));
    expect(m.get('relay_turn_stage_duration_seconds_count', { stage: 'endpointing', model: '', backend: '' })).toBe(100);
    expect(m.get('relay_llm_tokens_per_second_count', { stage: 'tokensPerSecond', model: 'fixtures/chat-lm', backend: 'wasm' })).toBe(100);
    expect(m.get('relay_turns_total', { source: 'voice', interrupted: 'false' })).toBe(100);
    expect(m.get('relay_http_requests_total', { method: 'POST', route: '/api/v1/metrics', status: '200' })).toBe(3);
    expect(m.get('relay_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/metrics' })).toBe(3);

    // Observed when stored, not recomputed from the table at each scrape.
    await t.db.exec('delete from turn_metric_values; delete from turn_metrics;');
    expect((await scrape(app, TOKEN)).get('relay_turn_stage_duration_seconds_count', labels)).toBe(100);
  });

  it.skipIf(skip)('counts requests by route pattern, handoffs by reason and open streams by kind; reads open conversations from the database', async () => {
    const { app } = handoffApp(t.db, { metricsToken: TOKEN });
    const agent = await loginAgent(app, t.db);
    const a = await createDevice(app);
    await createDevice(app, { reason: { kind: 'keyword', detail: 'agent' }, summary: 's', transcript: [] });
    expect((await app.request(`/api/v1/conversations/${a.id}`, { headers: a.auth })).status).toBe(200);
    expect((await app.request(`/api/v1/conversations/${randomUUID()}`, { headers: a.auth })).status).toBe(404);
    expect((await app.request('/api/v1/no-such-thing')).status).toBe(404);
    await agent.post(`/api/v1/agent/conversations/${a.id}/claim`);

    const device = new SseReader(await app.request(`/api/v1/conversations/${a.id}/events`, { headers: a.auth }));
    await device.until((e) => e.event === 'ready');
    const dashboard = new SseReader(await agent.request('/api/v1/agent/events'));
    await dashboard.until((e) => e.event === 'ready');

    const m = await scrape(app, TOKEN);
    expect(m.get('relay_handoffs_total', { reason: 'explicit_request' })).toBe(1);
    expect(m.get('relay_handoffs_total', { reason: 'keyword' })).toBe(1);
    expect(m.get('relay_handoffs_total', { reason: 'tool_call' })).toBe(0);
    expect(m.get('relay_sse_streams', { kind: 'device' })).toBe(1);
    expect(m.get('relay_sse_streams', { kind: 'agent' })).toBe(1);
    expect(m.get('relay_http_requests_total', { method: 'GET', route: '/api/v1/conversations/:id', status: '200' })).toBe(1);
    expect(m.get('relay_http_requests_total', { method: 'GET', route: '/api/v1/conversations/:id', status: '404' })).toBe(1);
    expect(m.get('relay_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(m.get('relay_http_requests_total', { method: 'POST', route: '/api/v1/handoffs', status: '201' })).toBe(2);
    // No raw path (with its id) is ever a label.
    expect(m.named('relay_http_requests_total').map((s) => s.labels.route).join()).not.toMatch(/[0-9a-f]{8}-/);
    // From the database, at scrape time: the same figure on every relay of one database.
    expect(m.get('relay_conversations', { state: 'assigned' })).toBeGreaterThanOrEqual(1);
    expect(m.get('relay_conversations', { state: 'pending' })).toBeGreaterThanOrEqual(1);
    expect(m.get('relay_oldest_pending_handoff_seconds')).toBeGreaterThanOrEqual(0);
    if (kind === 'postgres') {
      expect(m.get('relay_db_pool_connections', { state: 'max' })).toBe(5);
      expect(m.get('relay_db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
      expect(m.get('relay_db_pool_waiting')).toBeGreaterThanOrEqual(0);
    } else {
      expect(m.types.has('relay_db_pool_connections')).toBe(false);
    }

    await device.close();
    await dashboard.close();
    for (let i = 0; i < 50; i++) {
      const now = await scrape(app, TOKEN);
      if (now.get('relay_sse_streams', { kind: 'device' }) === 0 && now.get('relay_sse_streams', { kind: 'agent' }) === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('closed streams are still counted as open');
  });

  it.skipIf(skip)('1,000 batches with random model ids leave only known models and `other` as label values', async () => {
    const { app } = handoffApp(t.db, { metricsToken: TOKEN, limits: UNLIMITED });
    const known = knownModelIds(resolveModels(undefined).clientConfig.modelSets);
    const pick = () => [...known][Math.floor(Math.random() * known.size)]!;
    const random = () => `${randomBytes(4).toString('hex')}/m${randomBytes(12).toString('base64url')}`;
    let sent = 0;
    for (let batch = 0; batch < 1000; batch++) {
      const turns = [0, 1].map(() =>
        turn({
          models: { asr: random(), llm: Math.random() < 0.2 ? pick() : random(), tts: random() },
          backends: { asr: 'wasm', llm: Math.random() < 0.5 ? 'webgpu' : 'wasm', tts: 'wasm' },
        }),
      );
      const res = await post(app, turns);
      expect(res.status).toBe(200);
      sent += turns.length;
    }
    const m = await scrape(app, TOKEN);
    const series = [...m.named('relay_turn_stage_duration_seconds_count'), ...m.named('relay_llm_tokens_per_second_count')];
    const models = new Set(series.map((s) => s.labels.model!));
    const backends = new Set(series.map((s) => s.labels.backend!));
    expect(models.has(OTHER)).toBe(true);
    for (const model of models) expect(['', OTHER, ...known]).toContain(model);
    expect(models.size).toBeLessThanOrEqual(known.size + 2);
    for (const backend of backends) expect(['', 'webgpu', 'wasm']).toContain(backend);
    // Every turn is still counted, under `other` when its model is unknown.
    expect(m.named('relay_turn_stage_duration_seconds_count').filter((s) => s.labels.stage === 'voiceToVoice').reduce((n, s) => n + s.value, 0)).toBe(sent);
  }, 120_000);

  it.skipIf(skip)("knows the models of a mirror's model-set.json", async () => {
    const set = { id: 'mine', label: 'Mine', asr: 'org/asr', llm: 'acme/llm-7b', tts: 'org/tts', voice: 'af_heart', turn: 'org/turn' };
    // Unlimited: on PostgreSQL the earlier tests' batches count against the shared per-address limit.
    const { app } = handoffApp(t.db, { metricsToken: TOKEN, limits: UNLIMITED, models: resolveModels(makeMirror({ 'model-set.json': JSON.stringify(set) })) });
    expect((await post(app, [turn({ models: { llm: 'acme/llm-7b' } }), turn({ models: { llm: 'acme/llm-8b' } })])).status).toBe(200);
    const m = await scrape(app, TOKEN);
    expect(m.get('relay_turn_stage_duration_seconds_count', { stage: 'voiceToVoice', model: 'acme/llm-7b', backend: 'wasm' })).toBe(1);
    expect(m.get('relay_turn_stage_duration_seconds_count', { stage: 'voiceToVoice', model: OTHER, backend: 'wasm' })).toBe(1);
  });
});
