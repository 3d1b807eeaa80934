import { z } from 'zod';
import {
  ConversationSchema,
  HandoffReasonSchema,
  MAX_TEXT_CHARS,
  MAX_TRANSCRIPT_ENTRIES,
  safeText,
  TranscriptEntrySchema,
} from './conversation.ts';
import { RelayEventSchema } from './events.ts';

// Requests and responses of the device endpoints. The device authenticates every call after
// the first with `Authorization: Bearer <token>` (the token from the create response).

export const CreateHandoffRequestSchema = z.object({
  reason: HandoffReasonSchema,
  summary: safeText(2000).default(''),
  transcript: z.array(TranscriptEntrySchema).max(MAX_TRANSCRIPT_ENTRIES).default([]),
});
export type CreateHandoffRequest = z.input<typeof CreateHandoffRequestSchema>;

export const CreateHandoffResponseSchema = z.object({
  conversation: ConversationSchema,
  /** Secret that lets this device (and only it) read and write the conversation. Keep it across reloads. */
  token: z.string(),
  /** Path of the SSE stream for this conversation. */
  eventsUrl: z.string(),
});
export type CreateHandoffResponse = z.infer<typeof CreateHandoffResponseSchema>;

/**
 * A single-use, one-minute credential for the conversation's event stream (`POST
 * .../stream-ticket` with the token in the header): EventSource cannot send headers, and a
 * ticket in a logged URL grants nothing once used or a minute old.
 */
export const StreamTicketResponseSchema = z.object({
  ticket: z.string(),
  expiresAt: z.string(),
  /** The stream's path with the ticket (add `&lastEventId=` to resume). */
  eventsUrl: z.string(),
});
export type StreamTicketResponse = z.infer<typeof StreamTicketResponseSchema>;

/** Ask for a person again after the conversation went back to the bot. */
export const RequestHandoffAgainSchema = CreateHandoffRequestSchema;

export const ClientMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ or -, at most 64');

export const PostMessageRequestSchema = z.object({
  text: safeText(MAX_TEXT_CHARS).pipe(z.string().trim().min(1, 'must not be empty')),
  /** Makes retries safe: a second post with the same id returns the first message instead of adding one. */
  clientMessageId: ClientMessageIdSchema.optional(),
});
export type PostMessageRequest = z.input<typeof PostMessageRequestSchema>;

export const ConversationWithEventsSchema = z.object({
  conversation: ConversationSchema,
  events: z.array(RelayEventSchema),
});
export type ConversationWithEvents = z.infer<typeof ConversationWithEventsSchema>;
