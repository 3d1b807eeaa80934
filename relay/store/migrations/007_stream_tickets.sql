-- Issue 15: a device opens its event stream with a single-use, short-lived ticket in the URL
-- instead of its long-lived conversation token (relay/handoff/stream-tickets.ts). Stored
-- hashed, consumed by the first stream that presents it, on any relay of the database.
-- Unlogged: a crash only loses tickets that live a minute anyway.
create unlogged table stream_tickets (
  ticket_hash text primary key,
  conversation_id uuid not null,
  expires_at timestamptz not null
);
create index stream_tickets_expires_idx on stream_tickets (expires_at);
