import { z } from 'zod';
import {
  AgentRefSchema,
  ConversationStateSchema,
  HandoffReasonSchema,
  MAX_TEXT_CHARS,
  TranscriptEntrySchema,
} from './conversation.ts';

// The append-only event log: one entry per change, used as transcript, audit log and the
// replay source for SSE. The SSE `event:` name is the entry's `type`, its `id:` the entry's `id`.

const base = {
  /** Monotonic across the whole relay (a decimal string: it is a PostgreSQL bigint). Send it back as `Last-Event-ID`. */
  id: z.string().regex(/^\d+$/),
  conversationId: z.uuid(),
  at: z.iso.datetime({ offset: true }),
};

/** The device asked for a person (first time, or again after returning to the bot). */
export const HandoffEventSchema = z.object({
  ...base,
  type: z.literal('handoff'),
  data: z.object({
    reason: HandoffReasonSchema,
    summary: z.string(),
    transcript: z.array(TranscriptEntrySchema),
  }),
});

export const MessageEventSchema = z.object({
  ...base,
  type: z.literal('message'),
  data: z.object({
    author: z.enum(['user', 'agent']),
    text: z.string().max(MAX_TEXT_CHARS),
    /** Set when `author` is `agent`. */
    agent: AgentRefSchema.optional(),
    clientMessageId: z.string().optional(),
  }),
});

export const STATE_CAUSES = ['handoff', 'claim', 'resolve', 'return', 'sla', 'cancel'] as const;

export const StateEventSchema = z.object({
  ...base,
  type: z.literal('state'),
  data: z.object({
    from: ConversationStateSchema,
    to: ConversationStateSchema,
    cause: z.enum(STATE_CAUSES),
    /** The agent who claimed / resolved / returned, when one did. */
    agent: AgentRefSchema.optional(),
    /** On `return` (assigned -> bot): the whole transcript so far, so the assistant continues with it. */
    transcript: z.array(TranscriptEntrySchema).optional(),
  }),
});

export const RelayEventSchema = z.discriminatedUnion('type', [
  HandoffEventSchema,
  MessageEventSchema,
  StateEventSchema,
]);

export type HandoffEvent = z.infer<typeof HandoffEventSchema>;
export type RelayMessageEvent = z.infer<typeof MessageEventSchema>;
export type StateEvent = z.infer<typeof StateEventSchema>;
export type RelayEvent = z.infer<typeof RelayEventSchema>;
export type RelayEventType = RelayEvent['type'];
