// The device's side of the relay API: create a handoff, post the caller's words, ask again,
// cancel, read the conversation, open its event stream. Every answer is checked against the
// shared schemas. The token only ever travels in the Authorization header.
import { z } from 'zod';
import { apiPaths } from '../protocol/api.ts';
import { ConversationSchema, type Conversation } from '../protocol/conversation.ts';
import {
  ConversationWithEventsSchema,
  CreateHandoffResponseSchema,
  type ConversationWithEvents,
  type CreateHandoffRequest,
  type CreateHandoffResponse,
  type PostMessageRequest,
  StreamTicketResponseSchema,
} from '../protocol/device-api.ts';
import { callRelay, type RelayRequest } from '../net/relay-call.ts';

export interface DeviceRelay {
  createHandoff(request: CreateHandoffRequest): Promise<CreateHandoffResponse>;
  /** Asks for a person again in a conversation that went back to the assistant. */
  requestAgain(conversationId: string, token: string, request: CreateHandoffRequest): Promise<Conversation>;
  /** Idempotent by `clientMessageId`: safe to retry. */
  postMessage(conversationId: string, token: string, message: PostMessageRequest): Promise<void>;
  cancel(conversationId: string, token: string): Promise<Conversation>;
  conversation(conversationId: string, token: string): Promise<ConversationWithEvents>;
  /**
   * A fresh URL for the SSE stream, resuming after `lastEventId`. EventSource cannot send
   * headers, so it carries a single-use ticket fetched with the token: open it once.
   */
  streamUrl(conversationId: string, token: string, lastEventId: string | null): Promise<string>;
}

const ConversationResponseSchema = z.object({ conversation: ConversationSchema });

export interface DeviceRelayOptions {
  /** Origin of the relay; empty for the app's own origin (the relay serves the app). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export function deviceRelay(options: DeviceRelayOptions = {}): DeviceRelay {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  const call = <S extends z.ZodType>(path: string, init: RelayRequest, schema: S, token?: string): Promise<z.infer<S>> =>
    callRelay(doFetch, `${base}${path}`, token ? { ...init, headers: { authorization: `Bearer ${token}` } } : init, schema);

  const post = (body: unknown): RelayRequest => ({ method: 'POST', body: JSON.stringify(body) });

  return {
    createHandoff: (request) => call(apiPaths.handoffs, post(request), CreateHandoffResponseSchema),
    requestAgain: async (id, token, request) =>
      (await call(apiPaths.conversationHandoff(id), post(request), ConversationResponseSchema, token)).conversation,
    postMessage: async (id, token, message) => {
      await call(apiPaths.conversationMessages(id), post(message), z.unknown(), token);
    },
    cancel: async (id, token) => (await call(apiPaths.conversationCancel(id), post({}), ConversationResponseSchema, token)).conversation,
    conversation: (id, token) => call(apiPaths.conversation(id), { method: 'GET' }, ConversationWithEventsSchema, token),
    streamUrl: async (id, token, lastEventId) => {
      const { ticket } = await call(apiPaths.conversationStreamTicket(id), post({}), StreamTicketResponseSchema, token);
      const query = new URLSearchParams({ ticket });
      if (lastEventId) query.set('lastEventId', lastEventId);
      return `${base}${apiPaths.conversationEvents(id)}?${query.toString()}`;
    },
  };
}
