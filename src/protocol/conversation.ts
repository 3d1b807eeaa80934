import { z } from 'zod';

// The handoff conversation as the relay stores it and both the device and the dashboard see it.

/**
 * `bot -> pending -> assigned -> resolved`; `pending -> expired -> bot` when no agent claims
 * within the SLA; `assigned -> bot` when the agent hands back. `expired` is passed through in
 * one step (the event log records it), so a conversation is never left in it.
 */
export const CONVERSATION_STATES = ['bot', 'pending', 'assigned', 'resolved', 'expired'] as const;
export const ConversationStateSchema = z.enum(CONVERSATION_STATES);
export type ConversationState = z.infer<typeof ConversationStateSchema>;

/** Why the device asked for a person; each trigger on the device maps to one kind. */
export const HANDOFF_REASON_KINDS = [
  'explicit_request',
  'keyword',
  'negative_sentiment',
  'repeated_failure',
  'tool_call',
  'other',
] as const;

export const HandoffReasonSchema = z.object({
  kind: z.enum(HANDOFF_REASON_KINDS),
  /** e.g. the phrase or keyword that matched, or the tool call's argument. */
  detail: safeText(500).optional(),
});
export type HandoffReason = z.infer<typeof HandoffReasonSchema>;

export const MAX_TEXT_CHARS = 4000;

// PostgreSQL text cannot hold NUL, and JSON with a lone surrogate is not valid jsonb:
// refuse both at the edge with a clear message instead of failing deep in the database.
// eslint-disable-next-line no-control-regex -- NUL is one of the characters this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string of at most `max` characters that the database can store as it is. */
export function safeText(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => !UNSTORABLE.test(s), 'must not contain NUL characters or unpaired surrogates');
}
export const MAX_TRANSCRIPT_ENTRIES = 200;

export const TranscriptEntrySchema = z.object({
  role: z.enum(['user', 'assistant', 'agent']),
  text: safeText(MAX_TEXT_CHARS),
  /** Agent's display name when `role` is `agent`. */
  name: safeText(100).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntrySchema>;

export const AgentRefSchema = z.object({ id: z.string(), name: z.string() });
export type AgentRef = z.infer<typeof AgentRefSchema>;

export const ConversationSchema = z.object({
  id: z.uuid(),
  state: ConversationStateSchema,
  reason: HandoffReasonSchema,
  summary: z.string(),
  agent: AgentRefSchema.nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  /** When the current wait for an agent began (state `pending`), else null. */
  pendingSince: z.iso.datetime({ offset: true }).nullable(),
  /** When the current wait expires back to the bot (state `pending`), else null. */
  slaDeadline: z.iso.datetime({ offset: true }).nullable(),
});
export type Conversation = z.infer<typeof ConversationSchema>;
