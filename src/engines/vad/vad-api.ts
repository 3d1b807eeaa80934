import type { CallContext } from '../rpc/protocol.ts';
import type { LoadProgress, VadLoadedStage, VadEvent, VadLoadOptions, VadParams } from '../types.ts';

/** The event with its times moved by `offset` ms (to epoch time and back). */
export function shiftVadClock(event: VadEvent, offset: number): VadEvent {
  if (event.type === 'error') return event;
  const at = event.at + offset;
  if ((event.type === 'speech-end' || event.type === 'speech-pause') && event.lastSpeechAt !== undefined) {
    return { ...event, at, lastSpeechAt: event.lastSpeechAt + offset };
  }
  return { ...event, at };
}

/**
 * Event times cross the boundary as epoch milliseconds (`performance.timeOrigin + now()`):
 * a worker's `performance.now()` counts from a different origin than the page's.
 */
export type VadWorkerApi = {
  load: (options: VadLoadOptions, ctx: CallContext<LoadProgress>) => Promise<VadLoadedStage>;
  listen: (args: { frames: MessagePort }, ctx: CallContext) => AsyncIterable<VadEvent>;
  setParams: (params: Partial<VadParams>, ctx: CallContext) => Promise<void>;
  endUtterance: (args: Record<string, never>, ctx: CallContext) => Promise<void>;
  connectPlayback: (args: { port: MessagePort }, ctx: CallContext) => Promise<void>;
  setBargeIn: (enabled: boolean, ctx: CallContext) => Promise<void>;
};
