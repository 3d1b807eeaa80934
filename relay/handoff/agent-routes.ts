import { Hono } from 'hono';
import { AgentReplyRequestSchema } from '../../src/protocol/agent-api.ts';
import { type AgentEnv, agentRef, requireAgent } from '../agents/auth.ts';
import { readJson } from '../http/body.ts';
import type { Services } from '../services.ts';
import { addAgentMessage, claim, conversationEvents, getConversation, resolve, returnToBot } from './conversations.ts';
import { eventStream, lastEventIdFrom } from './event-stream.ts';
import { queueFor } from './queue.ts';

/** Agent endpoints under `/api/v1/agent`: the queue, one conversation, and acting on it. */
export function agentHandoffRoutes(s: Services): Hono<AgentEnv> {
  const app = new Hono<AgentEnv>();
  // Per path, not '*': these routes share the /agent prefix with the login route.
  const auth = requireAgent(s.db, s.now);
  app.use('/queue', auth);
  app.use('/conversations/*', auth);
  app.use('/events', auth);

  app.get('/queue', async (c) => c.json(await queueFor(s.db, c.var.agent.id, s.now())));

  // Any agent may read any conversation: colleagues look over each other's shoulders.
  app.get('/conversations/:id', async (c) => {
    const id = c.req.param('id');
    const conversation = await getConversation(s.db, id);
    return c.json({ conversation, events: await conversationEvents(s.db, id) });
  });

  app.post('/conversations/:id/claim', async (c) => {
    return c.json({ conversation: await claim(s.handoff, c.req.param('id'), agentRef(c.var.agent)) });
  });

  app.post('/conversations/:id/messages', async (c) => {
    const { text, clientMessageId } = await readJson(c, AgentReplyRequestSchema);
    const { event, created } = await addAgentMessage(s.handoff, c.req.param('id'), agentRef(c.var.agent), text, clientMessageId);
    return c.json({ event }, created ? 201 : 200);
  });

  app.post('/conversations/:id/resolve', async (c) => {
    return c.json({ conversation: await resolve(s.handoff, c.req.param('id'), agentRef(c.var.agent)) });
  });

  app.post('/conversations/:id/return', async (c) => {
    return c.json({ conversation: await returnToBot(s.handoff, c.req.param('id'), agentRef(c.var.agent)) });
  });

  app.get('/events', async (c) => {
    const afterId = lastEventIdFrom(c.req.header('last-event-id'), c.req.query('lastEventId'));
    return eventStream({ db: s.db, bus: s.bus, conversationId: null, afterId, shutdown: s.shutdown, heartbeatMs: s.heartbeatMs, metrics: s.metrics });
  });

  return app;
}
