// The agent endpoints of the relay, as the dashboard calls them: the session is the httpOnly
// cookie that login sets (scoped to /api/v1/agent), so nothing here holds a secret. Every
// answer is checked against the shared schemas; every failure is a RelayError.
import { z } from 'zod';
import { AgentSchema, QueueResponseSchema, type Agent, type QueueResponse } from '../protocol/agent-api.ts';
import { apiPaths } from '../protocol/api.ts';
import { ConversationSchema, type Conversation } from '../protocol/conversation.ts';
import { ConversationWithEventsSchema, type ConversationWithEvents } from '../protocol/device-api.ts';
import { callRelay, type RelayFetch, type RelayRequest } from '../net/relay-call.ts';
import { RelayError } from '../net/relay-error.ts';

const AgentResponseSchema = z.object({ agent: AgentSchema });
const ConversationResponseSchema = z.object({ conversation: ConversationSchema });

export interface AgentApi {
  login(email: string, password: string): Promise<Agent>;
  logout(): Promise<void>;
  /** The signed-in agent, or null without a (valid) session. */
  me(): Promise<Agent | null>;
  presence(status: 'online' | 'away'): Promise<Agent>;
  queue(): Promise<QueueResponse>;
  conversation(id: string): Promise<ConversationWithEvents>;
  claim(id: string): Promise<Conversation>;
  reply(id: string, text: string, clientMessageId: string): Promise<void>;
  resolve(id: string): Promise<Conversation>;
  returnToBot(id: string): Promise<Conversation>;
  /** The dashboard's SSE stream, resuming after `lastEventId` (null: from now on). */
  eventsUrl(lastEventId: string | null): string;
}

export function agentApi(fetchImpl: RelayFetch = (input, init) => fetch(input, init)): AgentApi {
  // The session cookie rides along: same origin, and scoped by the relay to /api/v1/agent.
  const call = <S extends z.ZodType>(path: string, init: RelayRequest, schema: S): Promise<z.infer<S>> =>
    callRelay(fetchImpl, path, { credentials: 'same-origin', ...init }, schema);

  const post = (body: unknown = {}): RelayRequest => ({ method: 'POST', body: JSON.stringify(body) });
  const get: RelayRequest = { method: 'GET' };

  return {
    login: async (email, password) => (await call(apiPaths.agentLogin, post({ email, password }), AgentResponseSchema)).agent,
    logout: async () => {
      await call(apiPaths.agentLogout, post(), z.unknown());
    },
    me: async () => {
      try {
        return (await call(apiPaths.agentMe, get, AgentResponseSchema)).agent;
      } catch (error) {
        if (error instanceof RelayError && error.status === 401) return null;
        throw error;
      }
    },
    presence: async (status) => (await call(apiPaths.agentPresence, post({ status }), AgentResponseSchema)).agent,
    queue: () => call(apiPaths.agentQueue, get, QueueResponseSchema),
    conversation: (id) => call(apiPaths.agentConversation(id), get, ConversationWithEventsSchema),
    claim: async (id) => (await call(apiPaths.agentClaim(id), post(), ConversationResponseSchema)).conversation,
    reply: async (id, text, clientMessageId) => {
      await call(apiPaths.agentReply(id), post({ text, clientMessageId }), z.unknown());
    },
    resolve: async (id) => (await call(apiPaths.agentResolve(id), post(), ConversationResponseSchema)).conversation,
    returnToBot: async (id) => (await call(apiPaths.agentReturn(id), post(), ConversationResponseSchema)).conversation,
    eventsUrl: (lastEventId) => (lastEventId ? `${apiPaths.agentEvents}?lastEventId=${encodeURIComponent(lastEventId)}` : apiPaths.agentEvents),
  };
}
