// `npx tsx bench/voice/ort-builds.ts [--rounds 5] [--frames 300] [--calls 5]`: the VAD worker's two
// models (Silero v5 per 32 ms frame, Smart Turn per end-of-speech call) on onnxruntime-web's plain
// wasm build (ort.wasm, what vad-web used) and on its asyncify build (ort.webgpu, what
// transformers.js uses), side by side in one Chromium worker, alternating rounds, 1 thread as the
// VAD worker runs. The question it answers: can every stage share the one (asyncify) wasm, so the
// first visit carries one onnxruntime binary, without making voice detection slower?
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../../e2e/support/browser.ts';
import { repoRoot } from '../../e2e/support/paths.ts';
import { speak16k } from '../../tools/fixtures/test-speech.ts';
import { SMART_TURN_FILE } from '../../tools/fixtures/realsize/smart-turn-realsize.ts';
import { bundleWorker, ortDistFile, serveIsolated } from '../isolated-server.ts';
import { fmt, spread, table } from '../stats.ts';
import { ensureModels } from './prepare.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    frames: { type: 'string', default: '300' },
    calls: { type: 'string', default: '5' },
    model: { type: 'string', default: 'synthetic/smart-turn-v3' },
  },
});

const WORKER = `
import * as plain from 'onnxruntime-web/wasm';
import * as asyncify from 'onnxruntime-web/webgpu';
import { SmartTurnDetector } from './src/engines/turn/smart-turn-detector.ts';
const builds = { plain, asyncify };
for (const ort of Object.values(builds)) {
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = 1;
}
self.onmessage = async ({ data }) => {
  const ort = builds[data.build];
  const silero = await ort.InferenceSession.create(new Uint8Array(await (await fetch('/silero.onnx')).arrayBuffer()));
  const detector = await SmartTurnDetector.create(ort, new Uint8Array(await (await fetch('/smart-turn.onnx')).arrayBuffer()));
  const audio = new Float32Array(data.audio);
  let state = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  const sr = new ort.Tensor('int64', BigInt64Array.from([16000n]), []);
  const frames = [];
  for (let i = 0; i < data.frames; i++) {
    const start = (i * 512) % (audio.length - 512);
    const input = new ort.Tensor('float32', audio.slice(start, start + 512), [1, 512]);
    const t = performance.now();
    const out = await silero.run({ input, state, sr });
    frames.push(performance.now() - t);
    state = out.stateN;
  }
  const calls = [];
  for (let i = 0; i < data.calls; i++) calls.push((await detector.predict(audio)).computeMs);
  await silero.release();
  await detector.release();
  postMessage({ frames: frames.slice(10), calls: calls.slice(1) });
};
`;

type Build = 'plain' | 'asyncify';
interface Round {
  frames: number[];
  calls: number[];
}

async function main(): Promise<void> {
  ensureModels(console.log, [args.model]);
  const worker = await bundleWorker(WORKER, 'ort-builds-worker.ts');
  const { server, url } = await serveIsolated((path) => {
    if (path === '/') return '<!doctype html><title>onnxruntime builds</title>';
    if (path === '/worker.js') return worker;
    if (path === '/silero.onnx') return readFileSync(join(repoRoot, 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx'));
    if (path === '/smart-turn.onnx') return readFileSync(join(repoRoot, 'fixtures/realsize', args.model, SMART_TURN_FILE));
    return ortDistFile(path);
  });
  const before = loadavg();
  const launched = await launchBrowser(url);
  const results: Record<Build, Round> = { plain: { frames: [], calls: [] }, asyncify: { frames: [], calls: [] } };
  try {
    await launched.page.goto('/');
    const audio = Array.from(speak16k('What is the capital of France?'));
    for (let round = 0; round < Number(args.rounds); round++) {
      // Alternating, each round in a fresh worker, so drift in the machine's load hits both builds alike.
      for (const which of (round % 2 === 0 ? ['plain', 'asyncify'] : ['asyncify', 'plain']) as Build[]) {
        const r = await launched.page.evaluate(
          (message) =>
            new Promise<Round>((resolve, reject) => {
              const w = new Worker('/worker.js', { type: 'module' });
              w.onmessage = ({ data }) => (w.terminate(), resolve(data as Round));
              w.onerror = (event) => reject(new Error(event.message));
              w.postMessage(message);
            }),
          { build: which, audio, frames: Number(args.frames), calls: Number(args.calls) },
        );
        results[which].frames.push(...r.frames);
        results[which].calls.push(...r.calls);
      }
    }
  } finally {
    await launched.close();
    server.close();
  }
  const row = (name: string, key: keyof Round) => {
    const p = spread(results.plain[key]);
    const a = spread(results.asyncify[key]);
    return [name, `${fmt(p.p50, 2)} / ${fmt(p.p95, 2)}`, `${fmt(a.p50, 2)} / ${fmt(a.p95, 2)}`, fmt((a.p50 ?? NaN) / (p.p50 ?? NaN), 2)];
  };
  console.log(`${args.rounds} alternating rounds, 1 wasm thread, Chromium dedicated worker:`);
  console.log(
    table([
      ['ms per call, p50 / p95', 'plain wasm (ort.wasm)', 'asyncify wasm (ort.webgpu)', 'asyncify / plain'],
      row(`Silero v5, one 32 ms frame (${results.plain.frames.length} each)`, 'frames'),
      row(`Smart Turn (${args.model}), ${results.plain.calls.length} calls each`, 'calls'),
    ]),
  );
  const l = (a: number[]) => a.map((x) => x.toFixed(1)).join(' ');
  console.log(`load average ${l(before)} before, ${l(loadavg())} after (${cpus().length} cores)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
