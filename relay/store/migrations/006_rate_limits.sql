-- Issue 15: rate limits shared by every relay process on one PostgreSQL (relay/http/rate-limit.ts
-- `sharedLimits`). One row per limit scope, key (an address, a token hash, an email) and fixed
-- window; a request increments its window's row in one atomic upsert. Unlogged: no WAL and no
-- fsync per request, and after a crash the table starts empty, which only forgives recent hits.
-- The embedded database (one process) keeps its limits in memory and leaves this table empty.
create unlogged table rate_limit_hits (
  scope text not null,
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  -- Two windows after window_start: no longer read, deleted now and then.
  expires_at timestamptz not null,
  primary key (scope, key, window_start)
);
create index rate_limit_hits_expires_idx on rate_limit_hits (expires_at);
