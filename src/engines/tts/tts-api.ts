import type { CallContext } from '../rpc/protocol.ts';
import type { AudioChunk, LoadedStage, LoadProgress, TtsLoadOptions } from '../types.ts';

export interface SynthesizeArgs {
  text: string;
  voice: string;
  speed?: number;
}

export type TtsWorkerApi = {
  load: (options: TtsLoadOptions, ctx: CallContext<LoadProgress>) => Promise<LoadedStage>;
  synthesize: (args: SynthesizeArgs, ctx: CallContext) => Promise<AudioChunk>;
};
