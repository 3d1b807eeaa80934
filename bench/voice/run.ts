// `npm run bench`: the same scripted spoken turns through the app's streaming voice loop and
// through the naive sequential baseline (`?pipeline=sequential`: whole transcript, whole reply,
// whole audio, then play), side by side in one run, with the synthetic real-size models on the
// wasm backend. Prints p50/p95 per stage and the ratio ours/baseline; writes JSON to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../e2e/support/paths.ts';
import { startServer } from '../../e2e/support/server.ts';
import { microphoneWav } from '../../e2e/support/speech.ts';
import { fmt, table } from '../stats.ts';
import { BenchSession, type SessionResult } from './drive.ts';
import { prepare } from './prepare.ts';
import { METRICS, summarize, type Summary } from './summarize.ts';

const log = (line: string) => console.log(line);
const env = process.env;
// Each mode also runs one warm-up turn first (the utterance heard while the models load), not counted.
const turns = Number(env.BENCH_TURNS ?? 3);
// Whisper tiny.en + SmolLM2-135M at real size, and the tiny fixture Kokoro: real-size Kokoro
// synthesises slower than real time in wasm on 2 shared cores, which makes a run take far more
// than a few minutes. BENCH_TTS=synthetic/kokoro-82m (or BENCH_ASR / BENCH_LLM) measures another set.
const models = {
  asr: env.BENCH_ASR ?? 'synthetic/whisper-tiny.en',
  llm: env.BENCH_LLM ?? 'synthetic/smollm2-135m-instruct',
  tts: env.BENCH_TTS ?? 'fixtures/kokoro',
};
// The synthetic Whisper hears this sentence whatever is said; espeak says it at real speech pace.
const QUESTION = 'What is the capital of France?';

const modes = [
  { name: 'streaming', query: '' },
  { name: 'sequential', query: '&pipeline=sequential' },
] as const;

async function main(): Promise<void> {
  prepare(log);
  const loadBefore = loadavg();
  // Leading silence: the gap between unmuting and the VAD listening. Trailing silence: enough
  // for the VAD to end the utterance; the microphone is muted again after each turn.
  const wav = microphoneWav([{ silence: 1.5 }, { speak: QUESTION }, { silence: 20 }]);
  const server = await startServer({ MODELS: 'fixtures/realsize' });
  const results: Record<string, SessionResult> = {};
  const summaries: Record<string, Summary> = {};
  const sessions: BenchSession[] = [];
  try {
    for (const mode of modes) {
      const path = `/?asr=${models.asr}&llm=${models.llm}&tts=${models.tts}&backend=wasm${mode.query}`;
      sessions.push(await BenchSession.launch({ baseUrl: server.url, path, wav, log }));
    }
    log(`loading ${models.asr}, ${models.llm}, ${models.tts} (wasm) in one browser per mode...`);
    await Promise.all(sessions.map((session) => session.open()));
    // Turns alternate between the modes, so a change in the shared machine's load hits both alike.
    for (let turn = 1; turn <= turns; turn += 1) {
      for (const [index, mode] of modes.entries()) {
        const ms = await sessions[index]!.turn(300_000);
        log(`  ${mode.name} turn ${turn}/${turns} done in ${(ms / 1000).toFixed(1)} s`);
      }
    }
    for (const [index, mode] of modes.entries()) {
      const result = await sessions[index]!.finish();
      results[mode.name] = result;
      summaries[mode.name] = summarize(result.turns);
    }
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
    await server.stop();
  }
  const loadAfter = loadavg();

  const ours = summaries.streaming!;
  const base = summaries.sequential!;
  const rows = [['metric (ms)', 'ours p50', 'ours p95', 'naive p50', 'naive p95', 'ratio p50', 'ratio p95']];
  for (const metric of METRICS) {
    const a = ours[metric];
    const b = base[metric];
    const ratio = (x?: number, y?: number) => (x === undefined || y === undefined || y === 0 ? '-' : (x / y).toFixed(2));
    const digits = metric === 'tokensPerSecond' ? 1 : 0;
    rows.push([metric, fmt(a.p50, digits), fmt(a.p95, digits), fmt(b.p50, digits), fmt(b.p95, digits), ratio(a.p50, b.p50), ratio(a.p95, b.p95)]);
  }
  const mib = (bytes?: number) => (bytes === undefined ? '-' : (bytes / 2 ** 20).toFixed(0));
  const s = results.streaming!;
  const q = results.sequential!;
  rows.push(['peak browser RSS (MiB)', mib(s.peakBrowserRss), '', mib(q.peakBrowserRss), '', (s.peakBrowserRss / q.peakBrowserRss).toFixed(2), '']);
  rows.push(['peak UA memory (MiB)', mib(s.peakUaMemory), '', mib(q.peakUaMemory), '', s.peakUaMemory && q.peakUaMemory ? (s.peakUaMemory / q.peakUaMemory).toFixed(2) : '-', '']);
  log('');
  log(table(rows));
  log(
    `\nturns: ${s.turns.length} ours, ${q.turns.length} naive · crossOriginIsolated ${s.crossOriginIsolated} · hardwareConcurrency ${s.threads}` +
      ` · load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after (${cpus().length} cores)`,
  );

  const dir = join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `voice-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cores: cpus().length, loadBefore, loadAfter, node: process.version };
  writeFileSync(file, JSON.stringify({ models, turnsPerMode: turns, machine, summaries, results }, null, 2));
  log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
