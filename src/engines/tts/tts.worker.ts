import { exposeWorker } from '../rpc/expose-worker.ts';
import { transfer } from '../rpc/transfer.ts';
import { KokoroTtsEngine } from './kokoro-engine.ts';
import type { TtsWorkerApi } from './tts-api.ts';

const engine = new KokoroTtsEngine();

const handlers: TtsWorkerApi = {
  load: (options, ctx) => engine.load({ ...options, onProgress: (progress) => ctx.progress(progress) }),
  synthesize: async ({ text, voice, speed }, ctx) => {
    const chunk = await engine.synthesize(text, { voice, ...(speed === undefined ? {} : { speed }), signal: ctx.signal });
    // The samples are ours alone (ownedSamples): move them to the main thread, no copy.
    return transfer(chunk, [chunk.samples.buffer]);
  },
};

exposeWorker(handlers, self);
