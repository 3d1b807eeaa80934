// `npx tsx bench/voice/turn-model.ts [--runs 10] [--threads 1] [--model <id>]`: the end-of-turn
// model's time per call in Chromium, alone: the app's own SmartTurnDetector (features + inference)
// on onnxruntime-web's wasm build in a dedicated worker, as the VAD worker runs it (1 thread), on
// the turn audio the voice bench speaks. `npm run bench` measures the same calls inside the voice
// loop, where they share the cores with the eager ASR and the other workers; this is the figure
// without that contention. Also prints the same calls in Node (onnxruntime-web wasm) for comparison.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ortWeb from 'onnxruntime-web/wasm';
import { launchBrowser } from '../../e2e/support/browser.ts';
import { repoRoot } from '../../e2e/support/paths.ts';
import { SmartTurnDetector } from '../../src/engines/turn/smart-turn-detector.ts';
import { smartTurnFeatures } from '../../src/engines/turn/smart-turn-features.ts';
import { speak16k } from '../../tools/fixtures/test-speech.ts';
import { SMART_TURN_FILE } from '../../tools/fixtures/realsize/smart-turn-realsize.ts';
import { bundleWorker, ortDistFile, serveIsolated } from '../isolated-server.ts';
import { fmt, spread } from '../stats.ts';
import { ensureModels } from './prepare.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    threads: { type: 'string', default: '1' },
    model: { type: 'string', default: 'synthetic/smart-turn-v3' },
  },
});
const runs = Number(args.runs);
const threads = Number(args.threads);
const QUESTION = 'What is the capital of France?';

// The worker: the detector and the features exactly as the app bundles them.
const WORKER = `
import * as ort from 'onnxruntime-web/wasm';
import { SmartTurnDetector } from './src/engines/turn/smart-turn-detector.ts';
import { smartTurnFeatures } from './src/engines/turn/smart-turn-features.ts';
self.onmessage = async ({ data }) => {
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = data.threads;
  const bytes = await (await fetch('/model.onnx')).arrayBuffer();
  const started = performance.now();
  const detector = await SmartTurnDetector.create(ort, bytes);
  const loadMs = performance.now() - started;
  const audio = new Float32Array(data.audio);
  const calls = [];
  const features = [];
  let probability = NaN;
  for (let i = 0; i < data.runs; i++) {
    const verdict = await detector.predict(audio);
    calls.push(verdict.computeMs);
    const t = performance.now();
    smartTurnFeatures(audio);
    features.push(performance.now() - t);
    probability = verdict.probability;
  }
  postMessage({ loadMs, calls, features, probability });
};
`;


async function serve(model: string): Promise<{ server: Server; url: string }> {
  const worker = await bundleWorker(WORKER, 'turn-model-worker.ts');
  return serveIsolated((path) => {
    if (path === '/') return '<!doctype html><title>turn model</title>';
    if (path === '/worker.js') return worker;
    if (path === '/model.onnx') return readFileSync(join(repoRoot, 'fixtures/realsize', model, SMART_TURN_FILE));
    return ortDistFile(path);
  });
}

interface WorkerResult {
  loadMs: number;
  calls: number[];
  features: number[];
  probability: number;
}

async function inChromium(url: string, audio: Float32Array): Promise<WorkerResult> {
  const launched = await launchBrowser(url);
  try {
    await launched.page.goto('/');
    return await launched.page.evaluate(
      ({ audio, runs, threads }) =>
        new Promise<WorkerResult>((resolve, reject) => {
          const worker = new Worker('/worker.js', { type: 'module' });
          worker.onmessage = ({ data }) => resolve(data as WorkerResult);
          worker.onerror = (event) => reject(new Error(event.message));
          worker.postMessage({ audio, runs, threads });
        }),
      { audio: Array.from(audio), runs, threads },
    );
  } finally {
    await launched.close();
  }
}

async function inNode(model: string, audio: Float32Array): Promise<WorkerResult> {
  ortWeb.env.wasm.numThreads = threads;
  const bytes = readFileSync(join(repoRoot, 'fixtures/realsize', model, SMART_TURN_FILE));
  const started = performance.now();
  const detector = await SmartTurnDetector.create(ortWeb, new Uint8Array(bytes));
  const loadMs = performance.now() - started;
  const calls: number[] = [];
  const features: number[] = [];
  let probability = NaN;
  for (let i = 0; i < runs; i++) {
    const verdict = await detector.predict(audio);
    calls.push(verdict.computeMs);
    const t = performance.now();
    smartTurnFeatures(audio);
    features.push(performance.now() - t);
    if (i === 0) probability = verdict.probability;
  }
  await detector.release();
  return { loadMs, calls, features, probability };
}

function line(where: string, r: WorkerResult): string {
  const call = spread(r.calls);
  const features = spread(r.features);
  return (
    `${where.padEnd(34)} per call p50 ${fmt(call.p50)} ms, p95 ${fmt(call.p95)} ms (features alone p50 ${fmt(features.p50)} ms);` +
    ` load + warm-up ${fmt(r.loadMs)} ms; probability ${r.probability.toFixed(3)}`
  );
}

async function main(): Promise<void> {
  ensureModels(console.log, [args.model]);
  const audio = speak16k(QUESTION);
  const before = loadavg();
  const { server, url } = await serve(args.model);
  try {
    const browser = await inChromium(url, audio);
    const node = await inNode(args.model, audio);
    console.log(`${args.model}, ${runs} calls on ${(audio.length / 16000).toFixed(1)} s of speech, ${threads} wasm thread(s):`);
    console.log(line('Chromium, dedicated worker (wasm)', browser));
    console.log(line('Node, onnxruntime-web (wasm)', node));
    const after = loadavg();
    const l = (a: number[]) => a.map((x) => x.toFixed(1)).join(' ');
    console.log(`load average ${l(before)} before, ${l(after)} after (${cpus().length} cores)`);
  } finally {
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
