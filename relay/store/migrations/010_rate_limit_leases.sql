-- Issue 15: a relay process leases rate-limit hits in blocks (relay/http/rate-limit.ts
-- `sharedLimits`): one upsert adds up to a block to its window's row and serves them from memory.
-- Near the limit a lease is granted only what remains, so the process must learn how many hits
-- it got; RETURNING sees only the new row, so the upsert also writes its grant here.
alter table rate_limit_hits add column granted integer not null default 0;
