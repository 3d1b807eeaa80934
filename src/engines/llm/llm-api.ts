import type { CallContext } from '../rpc/protocol.ts';
import type { ChatMessage, LoadedStage, LoadProgress, LlmLoadOptions } from '../types.ts';

export interface GenerateArgs {
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
}

/** What every LLM worker serves, whichever library runs inside it. */
export type LlmWorkerApi = {
  load: (options: LlmLoadOptions, ctx: CallContext<LoadProgress>) => Promise<LoadedStage>;
  generate: (args: GenerateArgs, ctx: CallContext) => AsyncIterable<string>;
};
