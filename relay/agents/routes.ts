import { Hono } from 'hono';
import { LoginRequestSchema, PresenceRequestSchema } from '../../src/protocol/agent-api.ts';
import { readJson } from '../http/body.ts';
import { clientIp } from '../http/client-ip.ts';
import { HttpError } from '../http/errors.ts';
import { rateLimit } from '../http/rate-limit.ts';
import type { Services } from '../services.ts';
import { findAgentByEmail, toAgent } from './accounts.ts';
import { type AgentEnv, clearSessionCookie, requireAgent, setSessionCookie } from './auth.ts';
import { decoyHash, verifyPassword } from './password.ts';
import { createSession, deleteSession } from './sessions.ts';

/** Login, logout, who am I, presence heartbeat: under `/api/v1/agent`. */
export function agentAccountRoutes(s: Services): Hono<AgentEnv> {
  const perIp = s.limiter('login-ip', s.limits.login);
  const perEmail = s.limiter('login-email', s.limits.login);
  const limited = (scope: string) => s.metrics.rateLimited(scope);
  const app = new Hono<AgentEnv>();

  app.post('/login', rateLimit(perIp, (c) => clientIp(c, s.trustProxy), 'logging in from this address', limited), async (c) => {
    const { email, password } = await readJson(c, LoginRequestSchema);
    if ((await perEmail.take(email)) > 0) {
      limited(perEmail.scope);
      throw new HttpError(429, 'rate_limited', 'Too many login attempts for this account; wait a minute.');
    }
    const agent = await findAgentByEmail(s.db, email);
    // Unknown accounts cost the same scrypt as known ones.
    const ok = await verifyPassword(password, agent?.password_hash ?? (await decoyHash()));
    if (!agent || !ok) throw new HttpError(401, 'invalid_credentials', 'Wrong email or password.');
    const now = s.now();
    const session = await createSession(s.db, agent.id, now);
    await s.db.query(`update agents set presence = 'online', last_seen_at = $2 where id = $1`, [agent.id, now]);
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json({ agent: toAgent({ ...agent, presence: 'online', last_seen_at: now }, now) });
  });

  app.use('/logout', requireAgent(s.db, s.now));
  app.post('/logout', async (c) => {
    await deleteSession(s.db, c.var.sessionToken);
    await s.db.query(`update agents set presence = 'offline' where id = $1`, [c.var.agent.id]);
    clearSessionCookie(c);
    return c.json({ ok: true });
  });

  app.use('/me', requireAgent(s.db, s.now));
  app.get('/me', (c) => c.json({ agent: toAgent(c.var.agent, s.now()) }));

  app.use('/presence', requireAgent(s.db, s.now));
  app.post('/presence', async (c) => {
    const { status } = await readJson(c, PresenceRequestSchema);
    const now = s.now();
    await s.db.query('update agents set presence = $2, last_seen_at = $3 where id = $1', [c.var.agent.id, status, now]);
    return c.json({ agent: toAgent({ ...c.var.agent, presence: status, last_seen_at: now }, now) });
  });

  return app;
}
