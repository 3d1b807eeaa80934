// `npm run bench`: the same scripted spoken turns through three pipelines side by side in one run,
// with the synthetic real-size models on the wasm backend (BENCH_BACKEND=webgpu: WebGPU), one
// browser per pipeline:
//   default     the product: smart end-of-turn (Smart Turn at each short pause), eager ASR + LLM
//               at the pause, streaming replies (sentence by sentence into TTS)
//   timer       `?pipeline=timer`: a fixed 600 ms silence timer, streaming, no eager replies
//               (the product before end-of-turn detection)
//   naive       `?pipeline=sequential`: the fixed timer, then the whole transcript, the whole
//               reply and the whole audio, one after the other
// All three load the same models, the end-of-turn model included (only the default uses it).
// BENCH_PIPELINES=default,smart,timer,naive adds `smart`: the default with eager replies off.
// Prints p50/p95 per stage (voice to voice from the user's last speech frame), the ratios
// default/naive and default/timer, end-of-turn reasons, eager replies and the turn model's time
// per call; writes JSON to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../e2e/support/paths.ts';
import { startServer } from '../../e2e/support/server.ts';
import { microphoneWav } from '../../e2e/support/speech.ts';
import { deriveDurations } from '../../src/metrics/turn-timing.ts';
import { fmt, table } from '../stats.ts';
import { BenchSession, type SessionResult } from './drive.ts';
import { prepare } from './prepare.ts';
import { METRICS, summarize, turnTaking, type Summary, type TurnTaking } from './summarize.ts';

const log = (line: string) => console.log(line);
const env = process.env;
// The utterance heard while the models load is not counted. Three pipelines x (1 warm-up + 3
// turns) take ~15 min on the 2-core build machine when it is idle, 20-25 min under load.
const turns = Number(env.BENCH_TURNS ?? 3);
// Then one spoken warm-up turn per pipeline, not counted either (BENCH_WARMUP_TURNS=0 skips it).
const warmUpTurns = Number(env.BENCH_WARMUP_TURNS ?? 1);
// Whisper tiny.en + SmolLM2-135M at real size, the real-size Smart Turn v3 (int8), and the tiny
// fixture Kokoro: real-size Kokoro synthesises slower than real time in wasm on 2 shared cores,
// which makes a run take far longer. BENCH_TTS=synthetic/kokoro-82m (or BENCH_ASR / BENCH_LLM /
// BENCH_TURN_MODEL) measures another set.
const models = {
  asr: env.BENCH_ASR ?? 'synthetic/whisper-tiny.en',
  llm: env.BENCH_LLM ?? 'synthetic/smollm2-135m-instruct',
  tts: env.BENCH_TTS ?? 'fixtures/kokoro',
  turn: env.BENCH_TURN_MODEL ?? 'synthetic/smart-turn-v3',
};
// BENCH_BACKEND=webgpu runs every stage the plan allows on WebGPU (npm run check:gpu does, with a
// real adapter; here WebGPU is SwiftShader, slower than wasm).
const BACKEND = env.BENCH_BACKEND === 'webgpu' ? 'webgpu' : 'wasm';
// The synthetic Whisper hears this sentence whatever is said; espeak says it at real speech pace.
const QUESTION = 'What is the capital of France?';
// The issue's targets for the default pipeline's voice-to-voice p50.
const TARGETS = { naive: 0.35, timer: 0.7 };

interface ModeSpec {
  name: Mode;
  query: string;
  settings?: Record<string, unknown>;
}
type Mode = 'default' | 'smart' | 'timer' | 'naive';
const MODES: readonly ModeSpec[] = [
  { name: 'default', query: '' },
  // Diagnostic, not in the default run: the default without eager replies (the user's "Start
  // answering during my pauses" setting off), to tell the end-of-turn model's cost from the
  // eager work's. BENCH_PIPELINES=default,smart,timer,naive adds it.
  { name: 'smart', query: '', settings: { eagerReplies: false } },
  { name: 'timer', query: '&pipeline=timer' },
  { name: 'naive', query: '&pipeline=sequential' },
];
// BENCH_PIPELINES=default,timer runs a subset (e.g. to look into one pipeline quickly); ratios need both sides.
const chosen = MODES.filter((m) => (env.BENCH_PIPELINES ?? 'default,timer,naive').split(',').includes(m.name));
type PerMode<T> = Partial<Record<Mode, T>>;

const ratio = (x?: number, y?: number) => (x === undefined || y === undefined || y === 0 ? '-' : (x / y).toFixed(2));
const mib = (bytes?: number) => (bytes === undefined ? '-' : (bytes / 2 ** 20).toFixed(0));

function stageTable(summaries: PerMode<Summary>, results: PerMode<SessionResult>): string {
  const header = ['metric (ms)'];
  for (const mode of chosen) header.push(`${mode.name} p50`, `${mode.name} p95`);
  header.push('default/naive p50', 'default/timer p50');
  const withSmart = summaries.smart !== undefined;
  if (withSmart) header.push('smart/timer p50');
  const rows = [header];
  for (const metric of METRICS) {
    const digits = metric === 'tokensPerSecond' ? 1 : 0;
    const row: string[] = [metric];
    for (const mode of chosen) row.push(fmt(summaries[mode.name]![metric].p50, digits), fmt(summaries[mode.name]![metric].p95, digits));
    const d = summaries.default?.[metric].p50;
    row.push(ratio(d, summaries.naive?.[metric].p50), ratio(d, summaries.timer?.[metric].p50));
    if (withSmart) row.push(ratio(summaries.smart![metric].p50, summaries.timer?.[metric].p50));
    rows.push(row);
  }
  const memory = (name: string, pick: (r: SessionResult) => number | undefined) => {
    const row: string[] = [name];
    const value = (mode: Mode) => (results[mode] ? pick(results[mode]) : undefined);
    for (const mode of chosen) row.push(mib(value(mode.name)), '');
    const d = value('default');
    row.push(ratio(d, value('naive')), ratio(d, value('timer')));
    if (withSmart) row.push(ratio(value('smart'), value('timer')));
    rows.push(row);
  };
  memory('peak browser RSS (MiB)', (r) => r.peakBrowserRss);
  memory('peak UA memory (MiB)', (r) => r.peakUaMemory);
  return table(rows);
}

function turnTakingTable(taking: PerMode<TurnTaking>): string {
  const rows = [['pipeline', 'turns ended by', 'eager started/kept/discarded', 'turn model calls', 'per call p50/p95 ms', 'probability p50', 'silence at commit p50/p95 ms']];
  for (const mode of chosen) {
    const t = taking[mode.name]!;
    rows.push([
      mode.name,
      Object.entries(t.reasons)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', '),
      `${t.eager.started}/${t.eager.kept}/${t.eager.discarded}`,
      String(t.turnModelCalls),
      `${fmt(t.turnModelPerCall.p50)}/${fmt(t.turnModelPerCall.p95)}`,
      fmt(t.probability.p50, 3),
      `${fmt(t.silenceMs.p50)}/${fmt(t.silenceMs.p95)}`,
    ]);
  }
  return table(rows);
}

/** Each turn's stacked breakdown (endpointing + asr + llmTtft + firstSentence + ttsFirstAudio + playout = voiceToVoice). */
function perTurnTable(results: PerMode<SessionResult>): string {
  const stages = ['endpointing', 'asr', 'llmTtft', 'firstSentence', 'ttsFirstAudio', 'playout', 'voiceToVoice'] as const;
  const rows = [['pipeline', 'turn', ...stages, 'ended by', 'eager s/k/d']];
  for (const mode of chosen) {
    results[mode.name]!.turns.forEach((record, index) => {
      const d = deriveDurations(record);
      const e = record.eager;
      rows.push([
        mode.name,
        String(index + 1),
        ...stages.map((stage) => fmt(d[stage])),
        record.endOfTurn?.reason ?? '-',
        e ? `${e.started}/${e.kept}/${e.discarded}` : '-',
      ]);
    });
  }
  return table(rows);
}

function targetLines(summaries: PerMode<Summary>): string[] {
  const d = summaries.default?.voiceToVoice.p50;
  return (['naive', 'timer'] as const).map((base) => {
    const b = summaries[base]?.voiceToVoice.p50;
    if (d === undefined || b === undefined) return `default/${base} voice to voice p50: not measured`;
    const value = d / b;
    const verdict = value <= TARGETS[base] ? 'met' : 'MISSED';
    return `default/${base} voice to voice p50: ${value.toFixed(2)} (target <= ${TARGETS[base]}: ${verdict})`;
  });
}

async function main(): Promise<void> {
  prepare(log, Object.values(models));
  const loadBefore = loadavg();
  // Leading silence: the gap between unmuting and the VAD listening. Trailing silence: enough
  // for the VAD to end the utterance; the microphone is muted again after each turn.
  const wav = microphoneWav([{ silence: 1.5 }, { speak: QUESTION }, { silence: 20 }]);
  const server = await startServer({ MODELS: 'fixtures/realsize' });
  const results: PerMode<SessionResult> = {};
  const summaries: PerMode<Summary> = {};
  const taking: PerMode<TurnTaking> = {};
  const sessions: BenchSession[] = [];
  const started = Date.now();
  try {
    for (const mode of chosen) {
      const path = `/?asr=${models.asr}&llm=${models.llm}&tts=${models.tts}&turn=${models.turn}&backend=${BACKEND}${mode.query}`;
      sessions.push(await BenchSession.launch({ baseUrl: server.url, path, wav, log, settings: mode.settings, webgpu: BACKEND === 'webgpu' }));
    }
    log(`loading ${Object.values(models).join(', ')} (wasm) in one browser per pipeline (${chosen.map((m) => m.name).join(', ')})...`);
    await Promise.all(sessions.map((session) => session.open()));
    log(`models loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    for (let turn = 1; turn <= warmUpTurns; turn += 1) {
      for (const [index, mode] of chosen.entries()) {
        const ms = await sessions[index]!.warmUp(300_000);
        log(`  ${mode.name} warm-up turn ${turn}/${warmUpTurns} (not counted) done in ${(ms / 1000).toFixed(1)} s`);
      }
    }
    // Turns alternate between the pipelines, and each round starts with the next one, so a change
    // in the shared machine's load hits all alike and no pipeline always follows the same one.
    for (let turn = 1; turn <= turns; turn += 1) {
      for (let k = 0; k < chosen.length; k += 1) {
        const index = (turn - 1 + k) % chosen.length;
        const ms = await sessions[index]!.turn(300_000);
        log(`  ${chosen[index]!.name} turn ${turn}/${turns} done in ${(ms / 1000).toFixed(1)} s`);
      }
    }
    for (const [index, mode] of chosen.entries()) {
      const result = await sessions[index]!.finish();
      results[mode.name] = result;
      summaries[mode.name] = summarize(result.turns);
      taking[mode.name] = turnTaking(result.turns);
    }
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
    await server.stop();
  }
  const loadAfter = loadavg();
  const minutes = (Date.now() - started) / 60_000;

  log('');
  log(stageTable(summaries, results));
  log('');
  log(turnTakingTable(taking));
  log('');
  log(perTurnTable(results));
  log('');
  for (const line of targetLines(summaries)) log(line);
  const counts = chosen
    .map((m) => {
      const r = results[m.name]!;
      return `${r.turns.length} ${m.name} (${r.warmUpTurns} warm-up not counted${r.micRetries ? `, ${r.micRetries} microphone retries` : ''})`;
    })
    .join(', ');
  const first = results[chosen[0]!.name]!;
  log(
    `\nturns: ${counts} · crossOriginIsolated ${first.crossOriginIsolated} · hardwareConcurrency ${first.threads}` +
      ` · load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after (${cpus().length} cores)` +
      ` · ${minutes.toFixed(1)} min`,
  );
  log('voice to voice = last speech frame -> first reply audio audible; the turn model per call = its turnModelMs / turnModelCalls per turn (features + inference).');

  const dir = join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `voice-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cores: cpus().length, loadBefore, loadAfter, node: process.version, minutes };
  writeFileSync(
    file,
    JSON.stringify({ timingVersion: 2, models, pipelines: chosen, turnsPerMode: turns, warmUpTurns, targets: TARGETS, machine, summaries, turnTaking: taking, results }, null, 2),
  );
  log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
