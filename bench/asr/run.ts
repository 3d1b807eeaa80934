// `npm run bench:asr [-- --runs 5] [--threads 0] [--models id,id,...]`: ASR time after the last
// word, Whisper vs Moonshine, in Chromium. Each model runs in its own dedicated worker through the
// app's own engine (`TransformersAsrEngine`: load with its warm-up, then `transcribe()` exactly as
// the ASR worker calls it) on onnxruntime-web's wasm build, dtype `fp32/q8` (the app's wasm
// default), on the synthetic real-size models (`fixtures/realsize/`, generated if missing).
//
// Utterances: real espeak speech, sentences spoken one after another and cut to exactly 2 s and
// 8 s. The whole utterance is handed over at once, as the app does after the user's last word, so
// the time measured (the engine's `computeMs`) is the time from the last word to the transcript.
// Whisper pads every utterance to its 30 s window; Moonshine's encoder runs over the audio alone.
// Runs are interleaved (run 1: every model on every length, order rotated each run; then run 2...),
// so load changes on a shared machine hit all models alike. One uncounted round first (each model
// and length once). Writes JSON to bench/results/ and prints a markdown table.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../../e2e/support/browser.ts';
import { repoRoot } from '../../e2e/support/paths.ts';
import { runtimeAssetList } from '../../tools/vite/runtime-assets.ts';
import { speak16k } from '../../tools/fixtures/test-speech.ts';
import { bundleWorker, serveIsolated } from '../isolated-server.ts';
import { percentile } from '../stats.ts';
import { ensureModels } from '../voice/prepare.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    // 0: onnxruntime's default, as the app leaves it (1 thread on 2 cores even cross-origin isolated).
    threads: { type: 'string', default: '0' },
    models: { type: 'string', default: 'synthetic/whisper-tiny.en,synthetic/moonshine-tiny,synthetic/moonshine-base' },
    seconds: { type: 'string', default: '2,8' },
  },
});
const runs = Number(args.runs);
const threads = Number(args.threads);
const models = args.models.split(',');
const lengths = args.seconds.split(',').map(Number);
const BASELINE = models[0]!;
const DTYPE = 'fp32/q8';
const QUESTION = 'What is the capital of France?';
const EXPECTED = QUESTION;
const SENTENCES = [
  QUESTION,
  'I would like to visit the museums and walk along the river.',
  'Could you also tell me how many people live there and what the weather is like in spring?',
  'Thank you very much for your help.',
];
const SAMPLE_RATE = 16_000;

/** Real speech of exactly `seconds`: the sentences spoken one after another (repeated as needed), cut. */
function utterance(seconds: number, spoken: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  let at = 0;
  for (let i = 0; at < out.length; i++) {
    const part = spoken[i % spoken.length]!;
    out.set(part.subarray(0, out.length - at), at);
    at += Math.min(part.length, out.length - at);
  }
  return out;
}

// The worker: the app's engine, as the ASR worker runs it (esbuild resolves the same sources).
const WORKER = `
import { env } from '@huggingface/transformers';
import { TransformersAsrEngine } from './src/engines/asr/transformers-asr-engine.ts';
const engine = new TransformersAsrEngine();
self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'load') {
      if (data.threads > 0) env.backends.onnx.wasm.numThreads = data.threads;
      const source = { kind: 'mirror', host: '/models/', pathTemplate: '{model}/' };
      const loaded = await engine.load({ model: data.model, source, backend: 'wasm', dtype: data.dtype });
      postMessage({ ok: true, loaded, numThreads: env.backends.onnx.wasm.numThreads ?? null });
    } else {
      const started = performance.now();
      const transcript = await engine.transcribe(new Float32Array(data.audio));
      postMessage({ ok: true, text: transcript.text, computeMs: transcript.computeMs, wallMs: performance.now() - started });
    }
  } catch (error) {
    postMessage({ ok: false, error: String(error && error.stack || error) });
  }
};
`;


async function serve(): Promise<{ server: Server; url: string }> {
  const worker = await bundleWorker(WORKER, 'asr-bench-worker.ts', {
    // As the app's vite config: onnxruntime-web loads its .mjs glue and .wasm from wasmPaths.
    conditions: ['onnxruntime-web-use-extern-wasm'],
    define: { 'import.meta.env.BASE_URL': '"/"' },
  });
  const runtime = new Map(runtimeAssetList(repoRoot).map((asset) => [`/${asset.path}`, asset.source]));
  const modelsRoot = join(repoRoot, 'fixtures/realsize');
  return serveIsolated((path) => {
    if (path === '/') return '<!doctype html><title>asr bench</title>';
    if (path === '/worker.js') return worker;
    if (runtime.has(path)) return readFileSync(runtime.get(path)!);
    if (!path.startsWith('/models/')) return undefined;
    const file = normalize(join(modelsRoot, path.slice('/models/'.length)));
    if (!file.startsWith(modelsRoot)) return undefined;
    try {
      return readFileSync(file);
    } catch {
      return undefined;
    }
  });
}

interface Call {
  model: string;
  seconds: number;
  run: number;
  computeMs: number;
  wallMs: number;
  text: string;
}

interface Summary {
  model: string;
  seconds: number;
  n: number;
  median: number;
  p90: number;
  /** Median and p90 over the baseline's (Whisper tiny.en). */
  ratioMedian: number;
  ratioP90: number;
  texts: string[];
}

function summarise(calls: readonly Call[]): Summary[] {
  const pick = (model: string, seconds: number) => calls.filter((c) => c.model === model && c.seconds === seconds);
  const out: Summary[] = [];
  for (const seconds of lengths) {
    const base = pick(BASELINE, seconds).map((c) => c.computeMs);
    for (const model of models) {
      const own = pick(model, seconds);
      const times = own.map((c) => c.computeMs);
      const median = percentile(times, 50)!;
      const p90 = percentile(times, 90)!;
      out.push({
        model,
        seconds,
        n: times.length,
        median,
        p90,
        ratioMedian: median / percentile(base, 50)!,
        ratioP90: p90 / percentile(base, 90)!,
        texts: [...new Set(own.map((c) => c.text))],
      });
    }
  }
  return out;
}

function markdown(summaries: readonly Summary[], loads: Record<string, number>): string {
  const head = ['model', 'load + warm-up (ms)'];
  for (const s of lengths) head.push(`${s} s median`, `${s} s p90`, `${s} s ratio (median / p90)`);
  const rows = models.map((model) => {
    const row = [model, loads[model]!.toFixed(0)];
    for (const seconds of lengths) {
      const s = summaries.find((x) => x.model === model && x.seconds === seconds)!;
      row.push(s.median.toFixed(0), s.p90.toFixed(0), `${s.ratioMedian.toFixed(2)} / ${s.ratioP90.toFixed(2)}`);
    }
    return row;
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  ensureModels(console.log, models);
  const spoken = SENTENCES.map((s) => speak16k(s));
  const audio = new Map(lengths.map((s) => [s, Array.from(utterance(s, spoken))]));
  const loadBefore = loadavg();
  const { server, url } = await serve();
  const launched = await launchBrowser(url);
  const calls: Call[] = [];
  const loads: Record<string, number> = {};
  let environment = { crossOriginIsolated: false, hardwareConcurrency: 0, numThreads: null as number | null, userAgent: '' };
  try {
    const page = launched.page;
    await page.goto('/');
    await page.evaluate(() => {
      const w = window as unknown as { asr: Record<string, Worker>; call: (model: string, message: unknown) => Promise<unknown> };
      w.asr = {};
      w.call = (model, message) =>
        new Promise((resolve, reject) => {
          const worker = (w.asr[model] ??= new Worker('/worker.js', { type: 'module' }));
          worker.onmessage = ({ data }: MessageEvent<{ ok: boolean; error?: string }>) => (data.ok ? resolve(data) : reject(new Error(data.error)));
          worker.onerror = (event) => reject(new Error(event.message));
          worker.postMessage(message);
        });
    });
    type CallFn = (model: string, message: unknown) => Promise<unknown>;
    const call = <T>(model: string, message: Record<string, unknown>): Promise<T> =>
      page.evaluate(
        ({ model, message }) => (window as unknown as { call: CallFn }).call(model, message),
        { model, message },
      ) as Promise<T>;

    for (const model of models) {
      const t = performance.now();
      const r = await call<{ loaded: { loadMs: number }; numThreads: number | null }>(model, { type: 'load', model, dtype: DTYPE, threads });
      loads[model] = r.loaded.loadMs;
      environment.numThreads = r.numThreads;
      console.log(`loaded ${model}: ${r.loaded.loadMs.toFixed(0)} ms in the engine (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    }
    const isolation = await page.evaluate(() => ({
      crossOriginIsolated,
      hardwareConcurrency: navigator.hardwareConcurrency,
      userAgent: navigator.userAgent,
    }));
    environment = { ...environment, ...isolation };

    const transcribe = async (model: string, seconds: number, run: number): Promise<Call> => {
      const r = await call<{ text: string; computeMs: number; wallMs: number }>(model, { type: 'transcribe', audio: audio.get(seconds) });
      return { model, seconds, run, computeMs: r.computeMs, wallMs: r.wallMs, text: r.text };
    };
    // Uncounted round: every model on every length once (first run at a new input length).
    for (const seconds of lengths) for (const model of models) await transcribe(model, seconds, -1);
    for (let run = 0; run < runs; run++) {
      const order = models.map((_, i) => models[(i + run) % models.length]!);
      const lengthOrder = run % 2 === 0 ? lengths : [...lengths].reverse();
      for (const seconds of lengthOrder) {
        for (const model of order) {
          const c = await transcribe(model, seconds, run);
          calls.push(c);
          console.log(`run ${run + 1}/${runs} ${seconds} s ${model}: ${c.computeMs.toFixed(0)} ms "${c.text}"`);
        }
      }
    }
  } finally {
    await launched.close();
    server.close();
  }
  const loadAfter = loadavg();
  const minutes = (performance.now() - started) / 60_000;
  const summaries = summarise(calls);
  const wrong = calls.filter((c) => c.text !== EXPECTED);
  const l = (a: number[]) => a.map((x) => x.toFixed(1)).join(' ');

  console.log('');
  console.log(
    `ASR time after the last word (engine transcribe(), ms), ${runs} runs interleaved, dtype ${DTYPE}, ` +
      `Chromium wasm, ratios vs ${BASELINE}:`,
  );
  console.log('');
  console.log(markdown(summaries, loads));
  console.log('');
  console.log(
    `crossOriginIsolated ${environment.crossOriginIsolated} · hardwareConcurrency ${environment.hardwareConcurrency}` +
      ` · onnxruntime numThreads ${environment.numThreads ?? 'default'}` +
      ` · load average ${l(loadBefore)} before, ${l(loadAfter)} after (${cpus().length} cores) · ${minutes.toFixed(1)} min`,
  );
  console.log(wrong.length === 0 ? `every transcript was "${EXPECTED}"` : `${wrong.length} transcripts differ: ${[...new Set(wrong.map((c) => c.text))].join(' | ')}`);

  const dir = join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `asr-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cores: cpus().length, loadBefore, loadAfter, node: process.version, minutes, ...environment };
  writeFileSync(file, JSON.stringify({ models, baseline: BASELINE, dtype: DTYPE, lengths, runs, threads, machine, loads, summaries, calls }, null, 2));
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
