import { exposeWorker } from '../rpc/expose-worker.ts';
import { transfer } from '../rpc/transfer.ts';
import type { VadEvent } from '../types.ts';
import { SileroVadEngine } from './silero-vad-engine.ts';
import { shiftVadClock, type VadWorkerApi } from './vad-api.ts';

const engine = new SileroVadEngine();

async function* toEpochTime(events: AsyncIterable<VadEvent>): AsyncIterable<VadEvent> {
  for await (const event of events) {
    const stamped = shiftVadClock(event, performance.timeOrigin);
    // The segment's samples are not used here again: move them, do not copy.
    yield 'audio' in stamped ? transfer(stamped, [stamped.audio.buffer]) : stamped;
  }
}

const handlers: VadWorkerApi = {
  load: (options, ctx) => engine.load({ ...options, onProgress: (progress) => ctx.progress(progress) }),
  listen: ({ frames }, ctx) => toEpochTime(engine.listen(frames, { signal: ctx.signal })),
  setParams: (params) => engine.setParams(params),
  endUtterance: () => engine.endUtterance(),
  connectPlayback: async ({ port }) => engine.connectPlayback(port),
  setBargeIn: async (enabled) => engine.setBargeIn(enabled),
};

exposeWorker(handlers, self);
