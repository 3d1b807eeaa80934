import type { CallContext } from '../rpc/protocol.ts';
import type { LoadedStage, LoadProgress, VadEvent, VadLoadOptions, VadParams } from '../types.ts';

/**
 * Event times cross the boundary as epoch milliseconds (`performance.timeOrigin + now()`):
 * a worker's `performance.now()` counts from a different origin than the page's.
 */
export type VadWorkerApi = {
  load: (options: VadLoadOptions, ctx: CallContext<LoadProgress>) => Promise<LoadedStage>;
  listen: (args: { frames: MessagePort }, ctx: CallContext) => AsyncIterable<VadEvent>;
  setParams: (params: Partial<VadParams>, ctx: CallContext) => Promise<void>;
  connectPlayback: (args: { port: MessagePort }, ctx: CallContext) => Promise<void>;
  setBargeIn: (enabled: boolean, ctx: CallContext) => Promise<void>;
};
