// `npx tsx bench/voice/input-cleanup.ts [--seconds 12] [--only hum,buzz] [--levels -30,-20]`: what the microphone's
// input clean-up (src/voice/audio/input-cleanup.ts: 90 Hz high-pass, soft noise gate) does to the
// VAD. The real clean-up and the real Silero v5 with vad-web's frame processor (as the VAD worker
// runs them, the app's default thresholds) on onnxruntime-web's wasm build in Node, fed the same
// sox-made WAVs the browser tests use (e2e/support/speech.ts): background sounds alone, and three
// spoken questions over them, each with the clean-up off, high-pass only, gate only, and both.
//
// A sound alone runs 8 times per setting: the VAD starting in it (as when the microphone opens in
// a buzzing room) and after 3 s of a quiet room (-70 dBFS: the sound switching on), each at 4 frame
// alignments (0, 128, 256, 384 samples), because Silero's verdict on a sound's first frames
// depends on where the 512-sample frames fall.
//
// Counted: speech starts (the VAD heard speech: the app shows "Hearing you" and holds a reply
// playing), confirmed ones (250 ms of speech: a barge-in cuts the reply), and turns (a segment
// that ends and goes to speech recognition). For speech: turns against the three asked, how far
// the VAD's first and last speech frames sit from the words' true edges (from the same file made
// without the background), and the level the clean-up took off the words and off the noise between
// them. Transcripts are not compared: the only speech recognisers reachable here are the fixture
// models, which answer the same text whatever they hear (docs: machine-notes.md).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { FrameProcessor } from '@ricky0123/vad-web/dist/frame-processor.js';
import { Message } from '@ricky0123/vad-web/dist/messages.js';
import { Silero } from '@ricky0123/vad-web/dist/models/silero.js';
import * as ort from 'onnxruntime-web/wasm';
import { microphoneWav, type Background, type BackgroundKind, type Clip } from '../../e2e/support/speech.ts';
import { DEFAULT_VAD_PARAMS } from '../../src/engines/vad/vad-params.ts';
import { InputCleanup, type InputCleanupSettings } from '../../src/voice/audio/input-cleanup.ts';
import { repoRoot } from '../../e2e/support/paths.ts';
import { readWav } from '../../tools/fixtures/wav.ts';
import { fmt } from '../stats.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '12' },
    only: { type: 'string' },
    levels: { type: 'string' },
  },
});

const RATE = 16000;
/** Where the 512-sample frames start in the signal, in samples. */
const ALIGNMENTS = [0, 128, 256, 384];
/** A quiet room before a sound switches on: white noise at about -70 dBFS RMS (peak 0.0005). */
const QUIET_ROOM = 0.0005;
const FRAME = 512;
const MS_PER_FRAME = (FRAME / RATE) * 1000;
const QUESTIONS = ['What is the capital of France?', 'Set a timer for ten minutes.', 'How far away is the moon?'];
const SPEECH_CLIPS: Clip[] = [{ silence: 2 }, ...QUESTIONS.flatMap((text): Clip[] => [{ speak: text }, { silence: 3 }])];

/** Background levels tried, RMS dBFS (the espeak questions are about -21 dBFS RMS, -3 dBFS peak). */
const DEFAULT_LEVELS: Record<BackgroundKind, number[]> = {
  hum: [-40, -30, -20],
  buzz: [-40, -35, -30, -26, -20],
  rumble: [-40, -30, -20],
  brown: [-40, -30],
  pink: [-45, -35],
};

const CONFIGS: { name: string; cleanup: InputCleanupSettings }[] = [
  { name: 'off', cleanup: { highPass: false, noiseGate: false } },
  { name: 'high-pass', cleanup: { highPass: true, noiseGate: false } },
  { name: 'gate', cleanup: { highPass: false, noiseGate: true } },
  { name: 'both', cleanup: { highPass: true, noiseGate: true } },
];

type Vad = Awaited<ReturnType<typeof Silero.new>>;

interface VadRun {
  starts: number;
  confirmed: number;
  turns: number;
  /** Frames the model scored at or over the speech threshold. */
  speechFrames: number;
  /** Each segment's first and last speech frame, in ms from the start. */
  segments: { first: number; last: number }[];
}

async function loadVad(): Promise<Vad> {
  const dist = dirname(createRequire(import.meta.url).resolve('@ricky0123/vad-web'));
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const bytes = readFileSync(join(dist, 'silero_vad_v5.onnx'));
  return Silero.new(ort, async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The clean-up in 128-sample blocks (the audio thread's render quantum), in place. */
function cleaned(samples: Float32Array, settings: InputCleanupSettings): Float32Array {
  const out = samples.slice();
  const cleanup = new InputCleanup(RATE, settings);
  for (let i = 0; i < out.length; i += 128) cleanup.process(out.subarray(i, Math.min(out.length, i + 128)));
  return out;
}

/** The VAD as the worker runs it (silence mode: the end-of-turn model is not part of this). */
async function runVad(vad: Vad, samples: Float32Array): Promise<VadRun> {
  vad.reset_state();
  const params = DEFAULT_VAD_PARAMS;
  const processor = new FrameProcessor(vad.process, vad.reset_state, { ...params, submitUserSpeechOnPause: false }, MS_PER_FRAME);
  processor.resume();
  const run: VadRun = { starts: 0, confirmed: 0, turns: 0, speechFrames: 0, segments: [] };
  let open: { first: number; last: number } | undefined;
  for (let offset = 0; offset + FRAME <= samples.length; offset += FRAME) {
    const at = (offset / RATE) * 1000;
    await processor.process(samples.slice(offset, offset + FRAME), (event) => {
      if (event.msg === Message.FrameProcessed && event.probs.isSpeech >= params.positiveSpeechThreshold) {
        run.speechFrames += 1;
        if (open) open.last = at + MS_PER_FRAME;
      }
      if (event.msg === Message.SpeechStart) {
        run.starts += 1;
        open = { first: at, last: at + MS_PER_FRAME };
      }
      if (event.msg === Message.SpeechRealStart) run.confirmed += 1;
      if (event.msg === Message.VADMisfire) open = undefined;
      if (event.msg === Message.SpeechEnd) {
        run.turns += 1;
        if (open) run.segments.push(open);
        open = undefined;
      }
    });
  }
  processor.endSegment((event) => {
    if (event.msg === Message.SpeechEnd) {
      run.turns += 1;
      if (open) run.segments.push(open);
    }
  });
  return run;
}

/** The words' true extents in ms: 20 ms blocks over -50 dBFS in the file without background, gaps under 300 ms bridged. */
function utterances(clean: Float32Array): { from: number; to: number }[] {
  const block = RATE / 50;
  const found: { from: number; to: number }[] = [];
  for (let i = 0; i + block <= clean.length; i += block) {
    let sum = 0;
    for (let k = i; k < i + block; k += 1) sum += (clean[k] as number) ** 2;
    if (10 * Math.log10(sum / block + 1e-20) < -50) continue;
    const from = (i / RATE) * 1000;
    const last = found.at(-1);
    if (last && from - last.to < 300) last.to = from + 20;
    else found.push({ from, to: from + 20 });
  }
  return found;
}

function levelDb(samples: Float32Array, ranges: { from: number; to: number }[]): number {
  let sum = 0;
  let count = 0;
  for (const { from, to } of ranges) {
    for (let i = Math.round((from / 1000) * RATE); i < Math.min(samples.length, Math.round((to / 1000) * RATE)); i += 1) {
      sum += (samples[i] as number) ** 2;
      count += 1;
    }
  }
  return 10 * Math.log10(sum / Math.max(1, count) + 1e-20);
}

/** The pauses between questions, from 0.6 s after one to 0.1 s before the next (the gate's hold and release left out). */
function pauses(ranges: { from: number; to: number }[]): { from: number; to: number }[] {
  const found: { from: number; to: number }[] = [];
  for (let i = 1; i < ranges.length; i += 1) {
    const from = ranges[i - 1]!.to + 600;
    const to = ranges[i]!.from - 100;
    if (to > from) found.push({ from, to });
  }
  return found;
}

function markdown(rows: string[][]): string {
  const line = (row: string[]) => `| ${row.join(' | ')} |`;
  return [line(rows[0]!), line(rows[0]!.map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}

const mean = (values: number[]): number => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);

async function main(): Promise<void> {
  const vad = await loadVad();
  const seconds = Number(args.seconds);
  const kinds = (args.only?.split(',') ?? Object.keys(DEFAULT_LEVELS)) as BackgroundKind[];
  const levels = args.levels?.split(',').map(Number);
  const noiseRows: string[][] = [['background', 'level dBFS', ...CONFIGS.map((c) => `${c.name}: starts / confirmed / turns (speech frames)`)]];
  const speechRows: string[][] = [['speech over', 'level dBFS', 'clean-up', 'turns (of 3)', 'extra starts', 'first speech frame vs onset ms', 'last vs end ms', 'words dB', 'pauses dB']];

  const cleanSpeech = readWav(microphoneWav(SPEECH_CLIPS)).samples;
  const words = utterances(cleanSpeech);
  const gaps = pauses(words);

  // Speech alone: the baseline for the word edges and levels.
  for (const config of CONFIGS) speechRows.push(await speechRow(vad, { background: 'pink', dbfs: -Infinity }, cleanSpeech, config, words, gaps));

  for (const kind of kinds) {
    for (const dbfs of levels ?? DEFAULT_LEVELS[kind]) {
      const background: Background = { background: kind, dbfs };
      const starting = readWav(microphoneWav([{ ...background, seconds }])).samples;
      const switchedOn = readWav(microphoneWav([{ noise: QUIET_ROOM, seconds: 3 }, { ...background, seconds }])).samples;
      const cells: string[] = [];
      for (const config of CONFIGS) {
        const total: VadRun = { starts: 0, confirmed: 0, turns: 0, speechFrames: 0, segments: [] };
        for (const signal of [starting, switchedOn]) {
          const input = cleaned(signal, config.cleanup);
          for (const shift of ALIGNMENTS) {
            const run = await runVad(vad, input.subarray(shift));
            total.starts += run.starts;
            total.confirmed += run.confirmed;
            total.turns += run.turns;
            total.speechFrames += run.speechFrames;
          }
        }
        cells.push(`${total.starts} / ${total.confirmed} / ${total.turns} (${total.speechFrames})`);
      }
      noiseRows.push([kind, String(dbfs), ...cells]);
      const mixed = readWav(microphoneWav(SPEECH_CLIPS, background)).samples;
      for (const config of CONFIGS) speechRows.push(await speechRow(vad, background, mixed, config, words, gaps));
      console.error(`done: ${kind} ${dbfs} dBFS`);
    }
  }
  console.log(
    `\nBackground alone, ${seconds} s, 8 runs per cell (starting in it, and after 3 s of quiet room; 4 frame alignments each): ` +
      'speech starts / confirmed (250 ms) / turns (frames scored as speech), summed\n',
  );
  console.log(markdown(noiseRows));
  console.log(`\nThree spoken questions (${QUESTIONS.join(' / ')}) over the background\n`);
  console.log(markdown(speechRows));
  const results = join(repoRoot, 'bench/results');
  mkdirSync(results, { recursive: true });
  const file = join(results, `input-cleanup-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ seconds, vad: DEFAULT_VAD_PARAMS, noise: noiseRows, speech: speechRows }, null, 2));
  console.log(`\n${file}`);
}

async function speechRow(
  vad: Vad,
  background: Background,
  mixed: Float32Array,
  config: (typeof CONFIGS)[number],
  words: { from: number; to: number }[],
  gaps: { from: number; to: number }[],
): Promise<string[]> {
  const input = cleaned(mixed, config.cleanup);
  const run = await runVad(vad, input);
  const onsets: number[] = [];
  const ends: number[] = [];
  let matched = 0;
  for (const segment of run.segments) {
    const word = words.find((w) => segment.first < w.to && segment.last > w.from);
    if (!word) continue;
    matched += 1;
    onsets.push(segment.first - word.from);
    ends.push(segment.last - word.to);
  }
  const label = Number.isFinite(background.dbfs) ? background.background : '(none)';
  return [
    label,
    Number.isFinite(background.dbfs) ? String(background.dbfs) : '-',
    config.name,
    String(run.turns),
    String(run.starts - matched),
    fmt(mean(onsets)),
    fmt(mean(ends)),
    fmt(levelDb(input, words) - levelDb(mixed, words), 1),
    Number.isFinite(background.dbfs) ? fmt(levelDb(input, gaps) - levelDb(mixed, gaps), 1) : '-',
  ];
}

await main();
