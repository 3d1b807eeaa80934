import { z } from 'zod';
import { ConversationSchema, MAX_TEXT_CHARS, safeText } from './conversation.ts';
import { ClientMessageIdSchema } from './device-api.ts';

// Requests and responses of the agent endpoints (authenticated by the session cookie that login sets).

export const LoginRequestSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.input<typeof LoginRequestSchema>;

export const PRESENCE = ['online', 'away', 'offline'] as const;
export const PresenceSchema = z.enum(PRESENCE);
export type Presence = z.infer<typeof PresenceSchema>;

export const AgentSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  presence: PresenceSchema,
});
export type Agent = z.infer<typeof AgentSchema>;

export const LoginResponseSchema = z.object({ agent: AgentSchema });

/** Heartbeat: send every ~20 s while the dashboard is open; an agent not heard from in 60 s is offline. */
export const PresenceRequestSchema = z.object({ status: z.enum(['online', 'away']) });
export type PresenceRequest = z.infer<typeof PresenceRequestSchema>;

export const QueueItemSchema = ConversationSchema.extend({
  /** How long the caller has waited so far (state `pending`), in ms. */
  waitMs: z.number().int().nonnegative(),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;

export const QueueResponseSchema = z.object({
  /** Waiting for an agent, longest wait first. */
  pending: z.array(QueueItemSchema),
  /** Assigned to the agent asking. */
  mine: z.array(ConversationSchema),
  agents: z.object({ online: z.number().int(), away: z.number().int() }),
  /** Server time, so the dashboard can keep wait times ticking without clock skew. */
  now: z.iso.datetime({ offset: true }),
});
export type QueueResponse = z.infer<typeof QueueResponseSchema>;

export const AgentReplyRequestSchema = z.object({
  text: safeText(MAX_TEXT_CHARS).pipe(z.string().trim().min(1, 'must not be empty')),
  clientMessageId: ClientMessageIdSchema.optional(),
});
export type AgentReplyRequest = z.input<typeof AgentReplyRequestSchema>;
