-- Agents, their sessions, handoff conversations and the append-only event log.
-- Timestamps come from the relay (one clock for the SLA and the log), not from now().

create table agents (
  id uuid primary key,
  email text not null unique,
  name text not null,
  -- scrypt$N$r$p$salt$hash (relay/agents/password.ts); there is never a default password.
  password_hash text not null,
  presence text not null default 'offline' check (presence in ('online', 'away', 'offline')),
  last_seen_at timestamptz,
  created_at timestamptz not null
);

create table agent_sessions (
  -- sha256 of the cookie value: a leaked table does not log anyone in.
  token_hash text primary key,
  agent_id uuid not null references agents (id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index agent_sessions_agent_idx on agent_sessions (agent_id);

create table conversations (
  id uuid primary key,
  -- sha256 of the device's bearer token.
  token_hash text not null,
  state text not null check (state in ('bot', 'pending', 'assigned', 'resolved', 'expired')),
  reason jsonb not null,
  summary text not null default '',
  -- The agent handling it; kept after resolve/return: who handled it is part of the record.
  agent_id uuid references agents (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  pending_since timestamptz,
  sla_deadline timestamptz,
  check (state <> 'assigned' or agent_id is not null),
  check ((state = 'pending') = (sla_deadline is not null))
);
create index conversations_pending_idx on conversations (sla_deadline) where state = 'pending';
create index conversations_assigned_idx on conversations (agent_id) where state = 'assigned';

-- One row per change: transcript, audit log and SSE replay source in one.
create table conversation_events (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversations (id),
  type text not null check (type in ('handoff', 'message', 'state')),
  -- 'device', 'system' or 'agent:<uuid>'
  actor text not null,
  data jsonb not null,
  -- Set by a client that retries: the same id twice in one conversation is one message.
  client_message_id text,
  created_at timestamptz not null
);
create index conversation_events_conversation_idx on conversation_events (conversation_id, id);
create unique index conversation_events_dedupe_idx
  on conversation_events (conversation_id, actor, client_message_id)
  where client_message_id is not null;

create function conversation_events_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'conversation_events is append-only';
end
$$;

create trigger conversation_events_no_change
  before update or delete on conversation_events
  for each row execute function conversation_events_append_only();
