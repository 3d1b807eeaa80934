// Paths of the relay's HTTP API, shared so the app, the dashboard and the relay cannot drift.

export const API_BASE = '/api/v1';

export const apiPaths = {
  health: `${API_BASE}/health`,
  clientConfig: `${API_BASE}/client-config`,
  openapi: `${API_BASE}/openapi.json`,
  // device
  handoffs: `${API_BASE}/handoffs`,
  conversation: (id: string) => `${API_BASE}/conversations/${encodeURIComponent(id)}`,
  conversationMessages: (id: string) => `${API_BASE}/conversations/${encodeURIComponent(id)}/messages`,
  conversationEvents: (id: string) => `${API_BASE}/conversations/${encodeURIComponent(id)}/events`,
  conversationStreamTicket: (id: string) => `${API_BASE}/conversations/${encodeURIComponent(id)}/stream-ticket`,
  conversationHandoff: (id: string) => `${API_BASE}/conversations/${encodeURIComponent(id)}/handoff`,
  conversationCancel: (id: string) => `${API_BASE}/conversations/${encodeURIComponent(id)}/cancel`,
  // agent
  agentLogin: `${API_BASE}/agent/login`,
  agentLogout: `${API_BASE}/agent/logout`,
  agentMe: `${API_BASE}/agent/me`,
  agentPresence: `${API_BASE}/agent/presence`,
  agentQueue: `${API_BASE}/agent/queue`,
  agentEvents: `${API_BASE}/agent/events`,
  agentConversation: (id: string) => `${API_BASE}/agent/conversations/${encodeURIComponent(id)}`,
  agentClaim: (id: string) => `${API_BASE}/agent/conversations/${encodeURIComponent(id)}/claim`,
  agentReply: (id: string) => `${API_BASE}/agent/conversations/${encodeURIComponent(id)}/messages`,
  agentResolve: (id: string) => `${API_BASE}/agent/conversations/${encodeURIComponent(id)}/resolve`,
  agentReturn: (id: string) => `${API_BASE}/agent/conversations/${encodeURIComponent(id)}/return`,
  // metrics
  metrics: `${API_BASE}/metrics`,
  metricsSummary: `${API_BASE}/metrics/summary`,
} as const;

/** Name of the httpOnly cookie that carries an agent's session. */
export const AGENT_SESSION_COOKIE = 'relay_agent_session';
