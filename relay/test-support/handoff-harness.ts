import type { Hono } from 'hono';
import { createApp, type AppDeps } from '../app.ts';
import { addAgent } from '../agents/accounts.ts';
import { resolveModels } from '../models/resolve-models.ts';
import type { Db } from '../store/types.ts';
import { makeDist } from './temp-dirs.ts';
import { AGENT_SESSION_COOKIE } from '../../src/protocol/api.ts';

export const ORIGIN = 'http://localhost';

/** A relay on a real store with a clock the test moves. */
export function handoffApp(db: Db, overrides: Partial<AppDeps> = {}) {
  let offsetMs = 0;
  const clock = {
    now: () => new Date(Date.now() + offsetMs),
    advance: (ms: number) => {
      offsetMs += ms;
    },
  };
  const app = createApp({
    db,
    models: resolveModels(undefined),
    distDir: makeDist(),
    log: () => {},
    now: clock.now,
    handoffSlaSeconds: 60,
    heartbeatMs: 200,
    ...overrides,
  });
  return { app, clock };
}

export const validHandoff = {
  reason: { kind: 'explicit_request', detail: 'talk to a human' },
  summary: 'Caller wants to change a delivery address.',
  transcript: [
    { role: 'user', text: 'Where is my parcel?' },
    { role: 'assistant', text: 'It is on its way.' },
    { role: 'user', text: 'I want to talk to a human.' },
  ],
};

export function json(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } };
}

export interface Device {
  id: string;
  token: string;
  auth: Record<string, string>;
}

export async function createDevice(app: Hono, body: unknown = validHandoff): Promise<Device> {
  const res = await app.request('/api/v1/handoffs', json(body));
  if (res.status !== 201) throw new Error(`create handoff: ${res.status} ${await res.text()}`);
  const { conversation, token } = (await res.json()) as { conversation: { id: string }; token: string };
  return { id: conversation.id, token, auth: { Authorization: `Bearer ${token}` } };
}

export interface AgentClient {
  id: string;
  name: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  post(path: string, body?: unknown): Promise<Response>;
}

let counter = 0;

/** Creates an account via the same code as the CLI, logs in, and returns a cookie-carrying client. */
export async function loginAgent(app: Hono, db: Db, name = `Agent ${++counter}`): Promise<AgentClient> {
  const email = `agent${Date.now()}-${++counter}@example.com`;
  const { agent, password } = await addAgent(db, { email, name });
  const res = await app.request('/api/v1/agent/login', json({ email, password }, { Origin: ORIGIN }));
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.match(new RegExp(`${AGENT_SESSION_COOKIE}=([^;]+)`))?.[1];
  if (!cookie) throw new Error('login set no cookie');
  const request = async (path: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { Cookie: `${AGENT_SESSION_COOKIE}=${cookie}`, Origin: ORIGIN, ...(init.headers as Record<string, string>) } });
  return {
    id: agent.id,
    name: agent.name,
    request,
    post: (path, body = {}) => request(path, json(body)),
  };
}
