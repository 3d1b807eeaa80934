import { Hono, type Context } from 'hono';
import { apiPaths } from '../../src/protocol/api.ts';
import { CreateHandoffRequestSchema, PostMessageRequestSchema, RequestHandoffAgainSchema } from '../../src/protocol/device-api.ts';
import { readJson } from '../http/body.ts';
import { clientIp } from '../http/client-ip.ts';
import { HttpError } from '../http/errors.ts';
import { rateLimit } from '../http/rate-limit.ts';
import { hashToken } from '../http/tokens.ts';
import type { Services } from '../services.ts';
import {
  addUserMessage,
  authorizeDevice,
  cancel,
  conversationEvents,
  createHandoff,
  requestAgain,
} from './conversations.ts';
import { eventStream, lastEventIdFrom } from './event-stream.ts';
import { issueStreamTicket, redeemStreamTicket } from './stream-tickets.ts';

/** The device's bearer token, from `Authorization: Bearer <token>` only. */
function deviceToken(c: Context): string {
  const header = c.req.header('authorization');
  const token = header?.match(/^Bearer\s+([A-Za-z0-9_-]{1,100})\s*$/)?.[1];
  if (!token) {
    throw new HttpError(401, 'unauthorized', 'Send the conversation token: Authorization: Bearer <token>.');
  }
  return token;
}

/** Device endpoints under `/api/v1`: create a handoff, then act on that one conversation with its token. */
export function deviceRoutes(s: Services): Hono {
  const app = new Hono();
  const perToken = s.limiter('conversation', s.limits.perToken);
  const creates = s.limiter('handoff-create', s.limits.handoffCreate);
  const limited = (scope: string) => s.metrics.rateLimited(scope);
  const tokenKey = (c: Context) => {
    const header = c.req.header('authorization')?.match(/^Bearer\s+(\S{1,100})/)?.[1];
    return header ? `t:${hashToken(header)}` : null;
  };
  app.use('/conversations/*', rateLimit(perToken, tokenKey, 'for this conversation', limited));

  app.post('/handoffs', rateLimit(creates, (c) => clientIp(c, s.trustProxy), 'creating handoffs from this address', limited), async (c) => {
    const input = await readJson(c, CreateHandoffRequestSchema);
    const { conversation, token } = await createHandoff(s.handoff, input);
    s.metrics.handoff(input.reason.kind);
    return c.json({ conversation, token, eventsUrl: apiPaths.conversationEvents(conversation.id) }, 201);
  });

  app.get('/conversations/:id', async (c) => {
    const id = c.req.param('id');
    const conversation = await authorizeDevice(s.db, id, deviceToken(c));
    return c.json({ conversation, events: await conversationEvents(s.db, id) });
  });

  app.post('/conversations/:id/messages', async (c) => {
    const id = c.req.param('id');
    await authorizeDevice(s.db, id, deviceToken(c));
    const { text, clientMessageId } = await readJson(c, PostMessageRequestSchema);
    const { event, created } = await addUserMessage(s.handoff, id, text, clientMessageId);
    return c.json({ event }, created ? 201 : 200);
  });

  app.post('/conversations/:id/handoff', async (c) => {
    const id = c.req.param('id');
    await authorizeDevice(s.db, id, deviceToken(c));
    const input = await readJson(c, RequestHandoffAgainSchema);
    const conversation = await requestAgain(s.handoff, id, input);
    s.metrics.handoff(input.reason.kind);
    return c.json({ conversation });
  });

  app.post('/conversations/:id/cancel', async (c) => {
    const id = c.req.param('id');
    await authorizeDevice(s.db, id, deviceToken(c));
    return c.json({ conversation: await cancel(s.handoff, id) });
  });

  // A single-use, one-minute ticket for the event stream, so its URL never carries the token.
  app.post('/conversations/:id/stream-ticket', async (c) => {
    const id = c.req.param('id');
    await authorizeDevice(s.db, id, deviceToken(c));
    const { ticket, expiresAt } = await issueStreamTicket(s.db, id, s.now());
    const eventsUrl = `${apiPaths.conversationEvents(id)}?ticket=${ticket}`;
    return c.json({ ticket, expiresAt: expiresAt.toISOString(), eventsUrl }, 201);
  });

  app.get('/conversations/:id/events', async (c) => {
    const id = c.req.param('id');
    // Refused even when it is right: proxies and access logs have kept the URL by now, and a
    // client that is never refused never moves to tickets.
    if (c.req.query('token') !== undefined) {
      throw new HttpError(
        401,
        'token_in_url',
        'The conversation token is not accepted in the URL. Send it as Authorization: Bearer <token>, or get a single-use ticket (POST .../stream-ticket with that header) and open .../events?ticket=<ticket>.',
      );
    }
    const ticket = c.req.query('ticket');
    if (ticket !== undefined && c.req.header('authorization') === undefined) {
      if (!(await redeemStreamTicket(s.db, id, ticket, s.now()))) {
        throw new HttpError(401, 'invalid_ticket', 'This stream ticket is unknown, used or expired: ask for a new one (POST .../stream-ticket).');
      }
    } else {
      await authorizeDevice(s.db, id, deviceToken(c));
    }
    const afterId = lastEventIdFrom(c.req.header('last-event-id'), c.req.query('lastEventId'));
    return eventStream({ db: s.db, bus: s.bus, conversationId: id, afterId, shutdown: s.shutdown, heartbeatMs: s.heartbeatMs, metrics: s.metrics });
  });

  return app;
}
