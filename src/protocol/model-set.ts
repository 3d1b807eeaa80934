import { z } from 'zod';

// The model-set contracts between the relay and the app, and their schemas: the relay validates a
// mirror's `model-set.json` with them, the app validates `/api/v1/client-config` with them.

/** Where model files come from (the app's engines and model store build file URLs from it). */
export interface ModelSource {
  kind: 'hub' | 'mirror';
  /** Absolute or origin-relative base, e.g. `https://huggingface.co/` or `/models/`. */
  host: string;
  /** transformers.js `remotePathTemplate`: `{model}/resolve/{revision}/` (hub) or `{model}/` (mirror). */
  pathTemplate: string;
}

/** The models the app runs for each stage, by id (hub id, or id under the mirror). */
export interface ModelSet {
  id: string;
  label: string;
  asr: string;
  /**
   * Speech recognition where it runs on a capable GPU (WebGPU, large buffers): a model too heavy
   * for the CPU, such as Parakeet TDT 0.6B. Absent: `asr` everywhere.
   */
  asrWebgpu?: string;
  llm: string;
  tts: string;
  /** Kokoro voice id, e.g. `af_heart`. */
  voice: string;
  /**
   * End-of-turn model (Smart Turn v3 layout: `smart-turn-v3.2-cpu.onnx` at the repo's root), run
   * in the VAD worker. Sets written before it existed lack it: see ModelSetSchema for the default.
   */
  turn: string;
}

/** What the server tells the app at start: where models come from and which to use. */
export interface ClientConfig {
  modelSource: ModelSource;
  /** The set used unless the user chose another. */
  modelSet: ModelSet;
  /** Every set the source offers (the default among them), for the model manager's switch. */
  modelSets: ModelSet[];
}

/** Pipecat's Smart Turn v3 (BSD-2-Clause): audio-only end-of-turn model, int8 CPU build 8.7 MB. */
export const SMART_TURN_HUB_MODEL = 'pipecat-ai/smart-turn-v3';

/** Hub-style id (`org/name`, `fixtures/whisper-ask`): no dot-segments, so it is safe in a URL path. */
export const ModelIdSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/, 'a model id like org/name')
  .refine((id) => !id.split('/').some((part) => part === '.' || part === '..'), 'no dot-segments');

const modelSetFields = {
  id: z.string().min(1).max(100),
  label: z.string().min(1).max(200),
  asr: ModelIdSchema,
  asrWebgpu: ModelIdSchema.optional(),
  llm: ModelIdSchema,
  tts: ModelIdSchema,
  voice: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a voice id like af_heart'),
};

/**
 * A mirror's `model-set.json` as written: `turn` may be missing (written before the end-of-turn
 * model existed). The relay fills it in from the set it would serve without the file: the
 * fixture turn model for `MODELS=fixtures`, the hub id for any other mirror (relay/models/resolve-models.ts).
 */
export const ModelSetFileSchema = z.object({ ...modelSetFields, turn: ModelIdSchema.optional() });

/**
 * A model set as the app receives it. A missing `turn` (a client config saved by an older relay)
 * means the hub's Smart Turn: on a mirror that lacks it, the VAD ends turns on silence alone.
 */
export const ModelSetSchema = z.object({ ...modelSetFields, turn: ModelIdSchema.default(SMART_TURN_HUB_MODEL) }) satisfies z.ZodType<ModelSet>;

export const ModelSourceSchema = z.object({
  kind: z.enum(['hub', 'mirror']),
  host: z.string().min(1),
  pathTemplate: z.string().min(1),
}) satisfies z.ZodType<ModelSource>;

export const ClientConfigSchema = z.object({
  modelSource: ModelSourceSchema,
  modelSet: ModelSetSchema,
  modelSets: z.array(ModelSetSchema).min(1),
}) satisfies z.ZodType<ClientConfig>;
