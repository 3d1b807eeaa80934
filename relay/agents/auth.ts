import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AGENT_SESSION_COOKIE } from '../../src/protocol/api.ts';
import type { AgentRef } from '../../src/protocol/conversation.ts';
import { HttpError } from '../http/errors.ts';
import type { Db } from '../store/types.ts';
import type { AgentRow } from './accounts.ts';
import { agentForSession } from './sessions.ts';

export type AgentEnv = { Variables: { agent: AgentRow; sessionToken: string } };

export const COOKIE_PATH = '/api/v1/agent';

/** `Secure` wherever the browser will accept it back: https, and localhost (a secure context on http). */
function secureContext(c: Context): boolean {
  const url = new URL(c.req.url);
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || c.req.header('x-forwarded-proto') === 'https';
}

export function setSessionCookie(c: Context, token: string, expiresAt: Date): void {
  setCookie(c, AGENT_SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: secureContext(c),
    path: COOKIE_PATH,
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, AGENT_SESSION_COOKIE, { path: COOKIE_PATH, secure: secureContext(c) });
}

/** Lets the request through only with a live agent session; the agent is then `c.var.agent`. */
export function requireAgent(db: Db, now: () => Date): MiddlewareHandler<AgentEnv> {
  return async (c, next) => {
    const token = getCookie(c, AGENT_SESSION_COOKIE);
    const agent = token && token.length <= 100 ? await agentForSession(db, token, now()) : null;
    if (!agent || !token) throw new HttpError(401, 'unauthorized', 'Log in as an agent first.');
    c.set('agent', agent);
    c.set('sessionToken', token);
    await next();
  };
}

export function agentRef(row: AgentRow): AgentRef {
  return { id: row.id, name: row.name };
}
