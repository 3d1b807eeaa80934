// Measures metrics ingestion here: `node --import tsx relay/metrics/ingest-throughput.ts [pglite|postgres-url]`.
// Concurrent clients post batches to a relay on 127.0.0.1 for a fixed time; prints turns/s
// and request latency percentiles. Bounded in count and time (loopback only).
import { randomUUID } from 'node:crypto';
import { createApp } from '../app.ts';
import { resolveModels } from '../models/resolve-models.ts';
import { openPglite } from '../store/pglite.ts';
import { openPostgres } from '../store/postgres.ts';
import { migrate } from '../store/migrate.ts';
import { listen } from '../test-support/raw-http.ts';
import { makeDist } from '../test-support/temp-dirs.ts';

const target = process.argv[2] ?? 'pglite';
const clients = Number(process.env.CLIENTS ?? 4);
const batch = Number(process.env.BATCH ?? 20);
const seconds = Number(process.env.SECONDS ?? 10);

const schema = `relay_bench_${Date.now()}`;
const db = target === 'pglite' ? await openPglite() : await openPostgres({ connectionString: target, schema });
await migrate(db);
const app = createApp({
  db, models: resolveModels(undefined), distDir: makeDist(), log: () => {},
  limits: { perIp: { limit: 1e9, windowMs: 1000 }, metrics: { limit: 1e9, windowMs: 1000 } },
  // SHARED_LIMITS=0 keeps the limits in memory on PostgreSQL too, to see what sharing them costs.
  ...(process.env.SHARED_LIMITS === '0' ? { sharedLimits: false } : {}),
});
const server = await listen(app);

const turn = () => ({
  turnId: randomUUID(), endedAt: new Date().toISOString(), source: 'voice', tokens: 30, interrupted: false,
  durations: { endpointing: 300, asr: 120, llmTtft: 200, firstSentence: 150, ttsFirstAudio: 90, playout: 40, voiceToVoice: 600, tokensPerSecond: 25, total: 2500 },
  models: { asr: 'onnx-community/whisper-base.en', llm: 'onnx-community/Qwen2.5-0.5B-Instruct', tts: 'onnx-community/Kokoro-82M-v1.0-ONNX' },
  backends: { asr: 'wasm', llm: 'webgpu', tts: 'wasm' }, deviceClass: 'desktop',
});

const latencies: number[] = [];
let turns = 0;
const until = Date.now() + seconds * 1000;
await Promise.all(Array.from({ length: clients }, async () => {
  while (Date.now() < until) {
    const body = JSON.stringify({ turns: Array.from({ length: batch }, turn) });
    const start = performance.now();
    const res = await fetch(`${server.url}/api/v1/metrics`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const result = (await res.json()) as { accepted: number };
    latencies.push(performance.now() - start);
    turns += result.accepted;
  }
}));
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
console.log(`${target === 'pglite' ? 'pglite' : 'postgres'}${process.env.SHARED_LIMITS === '0' ? ' (limits in memory)' : ''}: ${clients} clients x ${batch} turns/batch, ${seconds} s: ` +
  `${(turns / seconds).toFixed(0)} turns/s, ${(latencies.length / seconds).toFixed(0)} batches/s, latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms`);
await server.close();
if (target !== 'pglite') await db.exec(`drop schema ${schema} cascade`);
await db.close();
