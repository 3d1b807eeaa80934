import { z } from 'zod';
import {
  AgentReplyRequestSchema,
  AgentSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  PresenceRequestSchema,
  QueueResponseSchema,
} from '../../src/protocol/agent-api.ts';
import { API_BASE } from '../../src/protocol/api.ts';
import { ConversationSchema } from '../../src/protocol/conversation.ts';
import {
  ConversationWithEventsSchema,
  CreateHandoffRequestSchema,
  CreateHandoffResponseSchema,
  PostMessageRequestSchema,
  RequestHandoffAgainSchema,
  StreamTicketResponseSchema,
} from '../../src/protocol/device-api.ts';
import { ApiErrorSchema } from '../../src/protocol/errors.ts';
import { RelayEventSchema } from '../../src/protocol/events.ts';
import { HealthSchema } from '../../src/protocol/health.ts';
import { ClientConfigSchema } from '../../src/protocol/model-set.ts';
import { MetricsBatchResponseSchema, MetricsBatchSchema, MetricsSummarySchema, TurnMetricSchema } from '../../src/protocol/metrics.ts';

// The OpenAPI 3.1 document, generated from the same zod schemas the relay validates with,
// so the document cannot drift from what the relay accepts.

type Json = Record<string, unknown>;

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output'): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
};

const jsonBody = (s: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(s, 'input') } } });
const ok = (s: z.ZodType, description = 'OK') => ({ description, content: { 'application/json': { schema: schema(s) } } });
const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } });
const query = (name: string, s: Json): Json => ({ name, in: 'query', required: false, schema: s });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const errors = { '400': error('Invalid input'), '429': error('Rate limited') };
const deviceErrors = { ...errors, '401': error('No token'), '404': error('No such conversation for this token'), '409': error('Not allowed in the current state') };
const agentErrors = { ...errors, '401': error('Not logged in'), '403': error('Not your conversation, or foreign origin'), '404': error('No such conversation'), '409': error('Not allowed in the current state') };
const sse = {
  description:
    'Server-sent events: one `event:` per log entry type (`handoff`, `message`, `state`) with the entry as JSON `data` and its id as the SSE `id`; then `ready` (no id) after the replay. Reconnect with `Last-Event-ID` (or `?lastEventId=`) to resume without loss or duplicates.',
  content: { 'text/event-stream': { schema: schema(RelayEventSchema) } },
};
const lastEventId = [
  { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string', pattern: '^\\d+$' } },
  { name: 'lastEventId', in: 'query', required: false, schema: { type: 'string', pattern: '^\\d+$' } },
];

export function openApiDocument(version: string): Json {
  const device = { security: [{ deviceToken: [] }], tags: ['device'] };
  const agent = { security: [{ agentSession: [] }], tags: ['agent'] };
  const metricsSummary = {
    ...agent,
    tags: ['metrics'],
    summary: 'p50/p95/p99 per stage, model and backend; latency distributions; turns per device class and app version; handoffs by reason; time to claim',
    parameters: [
      query('from', { type: 'string', format: 'date-time' }),
      query('to', { type: 'string', format: 'date-time' }),
      query('bucket', { type: 'string', enum: ['1m', '5m', '1h', '1d'] }),
    ],
    responses: { '200': ok(MetricsSummarySchema), ...agentErrors },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Voice assistant relay',
      version,
      description: 'Human handoff and latency metrics for the in-browser voice assistant. Every error is `{ error: { code, message, details? } }`.',
    },
    servers: [{ url: API_BASE }],
    components: {
      schemas: { ApiError: schema(ApiErrorSchema) },
      securitySchemes: {
        deviceToken: { type: 'http', scheme: 'bearer', description: 'The token from POST /handoffs, always in this header: the SSE stream refuses it in the URL (use a stream ticket).' },
        agentSession: { type: 'apiKey', in: 'cookie', name: 'relay_agent_session' },
      },
    },
    paths: {
      '/health': { get: { tags: ['ops'], summary: 'Health', responses: { '200': ok(HealthSchema), '503': ok(HealthSchema, 'Database down') } } },
      '/client-config': { get: { tags: ['app'], summary: 'Where models come from and which to use', responses: { '200': ok(ClientConfigSchema) } } },
      '/handoffs': {
        post: { tags: ['device'], summary: 'Ask for a person: creates a conversation and returns its token', requestBody: jsonBody(CreateHandoffRequestSchema), responses: { '201': ok(CreateHandoffResponseSchema, 'Created'), ...errors, '413': error('Body too large') } },
      },
      '/conversations/{id}': {
        get: { ...device, summary: 'The conversation and its whole event log', parameters: [idParam], responses: { '200': ok(ConversationWithEventsSchema), ...deviceErrors } },
      },
      '/conversations/{id}/messages': {
        post: { ...device, summary: "The caller's words, transcribed on the device", parameters: [idParam], requestBody: jsonBody(PostMessageRequestSchema), responses: { '201': ok(z.object({ event: RelayEventSchema }), 'Added'), '200': ok(z.object({ event: RelayEventSchema }), 'Already added (same clientMessageId)'), ...deviceErrors } },
      },
      '/conversations/{id}/handoff': {
        post: { ...device, summary: 'Ask for a person again after returning to the assistant', parameters: [idParam], requestBody: jsonBody(RequestHandoffAgainSchema), responses: { '200': ok(z.object({ conversation: ConversationSchema })), ...deviceErrors } },
      },
      '/conversations/{id}/cancel': {
        post: { ...device, summary: 'Back to the assistant (caller no longer wants a person)', parameters: [idParam], responses: { '200': ok(z.object({ conversation: ConversationSchema })), ...deviceErrors } },
      },
      '/conversations/{id}/stream-ticket': {
        post: { ...device, summary: 'A single-use ticket (one minute) to open the event stream without the token in its URL', parameters: [idParam], responses: { '201': ok(StreamTicketResponseSchema, 'Created'), ...deviceErrors } },
      },
      '/conversations/{id}/events': {
        get: {
          ...device,
          summary: 'SSE stream of this conversation (replay, then live): with the token in the Authorization header, or `?ticket=` from stream-ticket (single use: get a new one to reconnect, resuming with `?lastEventId=`)',
          parameters: [
            idParam,
            ...lastEventId,
            { name: 'ticket', in: 'query', required: false, description: 'From POST /conversations/{id}/stream-ticket; works once, within a minute', schema: { type: 'string' } },
          ],
          responses: { '200': sse, ...deviceErrors, '401': error('No valid token or ticket; `token_in_url` when the token is sent as `?token=` (refused: proxies and access logs keep URLs)') },
        },
      },
      '/agent/login': {
        post: { tags: ['agent'], summary: 'Log in; sets the httpOnly session cookie', requestBody: jsonBody(LoginRequestSchema), responses: { '200': ok(LoginResponseSchema), '401': error('Wrong email or password'), ...errors } },
      },
      '/agent/logout': { post: { ...agent, summary: 'Log out', responses: { '200': ok(z.object({ ok: z.literal(true) })), '401': error('Not logged in') } } },
      '/agent/me': { get: { ...agent, summary: 'The logged-in agent', responses: { '200': ok(z.object({ agent: AgentSchema })), '401': error('Not logged in') } } },
      '/agent/presence': {
        post: { ...agent, summary: 'Presence heartbeat (every ~20 s; offline after 60 s of silence)', requestBody: jsonBody(PresenceRequestSchema), responses: { '200': ok(z.object({ agent: AgentSchema })), ...agentErrors } },
      },
      '/agent/queue': { get: { ...agent, summary: 'Waiting handoffs (with wait and reason), mine, agents online', responses: { '200': ok(QueueResponseSchema), ...agentErrors } } },
      '/agent/events': { get: { ...agent, summary: 'SSE stream of every conversation (dashboard)', parameters: lastEventId, responses: { '200': sse, ...agentErrors } } },
      '/agent/conversations/{id}': { get: { ...agent, summary: 'A conversation and its log', parameters: [idParam], responses: { '200': ok(ConversationWithEventsSchema), ...agentErrors } } },
      '/agent/conversations/{id}/claim': { post: { ...agent, summary: 'Claim (exactly one of concurrent claims wins; others 409 already_claimed)', parameters: [idParam], responses: { '200': ok(z.object({ conversation: ConversationSchema })), ...agentErrors } } },
      '/agent/conversations/{id}/messages': {
        post: { ...agent, summary: 'Reply to the caller', parameters: [idParam], requestBody: jsonBody(AgentReplyRequestSchema), responses: { '201': ok(z.object({ event: RelayEventSchema }), 'Added'), ...agentErrors } },
      },
      '/agent/conversations/{id}/resolve': { post: { ...agent, summary: 'Resolve', parameters: [idParam], responses: { '200': ok(z.object({ conversation: ConversationSchema })), ...agentErrors } } },
      '/metrics': {
        post: {
          tags: ['metrics'],
          summary: 'A batch of turn metrics (each turn validated alone; repeated turnIds ignored). Items: TurnMetric.',
          requestBody: { required: true, content: { 'application/json': { schema: { ...schema(MetricsBatchSchema, 'input'), properties: { turns: { type: 'array', minItems: 1, maxItems: 100, items: schema(TurnMetricSchema, 'input') } } } } } },
          responses: { '200': ok(MetricsBatchResponseSchema), ...errors, '413': error('Body too large'), '415': error('Not JSON') },
        },
      },
      '/metrics/summary': { get: metricsSummary },
      // The same, where the browser sends the agent cookie (its path is /api/v1/agent).
      '/agent/metrics/summary': { get: metricsSummary },
      '/agent/conversations/{id}/return': { post: { ...agent, summary: 'Return to the assistant (the device gets the transcript)', parameters: [idParam], responses: { '200': ok(z.object({ conversation: ConversationSchema })), ...agentErrors } } },
    },
  };
}
