import { z } from 'zod';
import type { ClientConfig, ModelSet } from '../models/model-set.ts';
import type { ModelSource } from '../engines/types.ts';
import { SMART_TURN_HUB_MODEL } from '../models/catalogue.ts';

// Schemas for the contracts in src/models/model-set.ts; the relay validates a mirror's
// `model-set.json` with them, the app can validate `/api/v1/client-config` with them.

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
