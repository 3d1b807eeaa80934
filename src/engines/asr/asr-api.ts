import type { CallContext } from '../rpc/protocol.ts';
import type { LoadedStage, LoadProgress, StageLoadOptions, Transcript } from '../types.ts';

/** The ASR worker's methods, as the RPC layer carries them (one cloneable argument each). */
export type AsrWorkerApi = {
  load: (options: StageLoadOptions, ctx: CallContext<LoadProgress>) => Promise<LoadedStage>;
  transcribe: (args: { audio: Float32Array }, ctx: CallContext) => Promise<Transcript>;
};
