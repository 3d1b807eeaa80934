-- Issue 15: per-conversation ordering instead of one global event-log lock.
--
-- An event id is now  base + (writing transaction's xid8) * 1000 + (its index in that transaction),
-- assigned by next_event_id() (the column default). Writers take only their conversation's lock
-- (relay/handoff/conversations.ts) and get their transaction id after it, so:
-- - within a conversation ids follow commit order (a later writer waited for the earlier one's
--   commit before its xid was assigned): "after id N" in one conversation is exact;
-- - across conversations ids follow transaction ids, and every id below
--   event_log_watermark() = base + pg_snapshot_xmin(current snapshot) * 1000 belongs to a
--   transaction that has ended: the global feed delivers only below it, in id order, so an id
--   committed late can never land behind a cursor (relay/handoff/event-log.ts).
-- `base` keeps new ids above every existing one (ids from the old identity column, or from a
-- dump restored into a cluster whose transaction ids are lower: see ensureEventIdsAhead).

create table event_id_base (
  one boolean primary key default true check (one),
  base bigint not null
);
insert into event_id_base (base)
select greatest(0, coalesce(max(id), 0) + 1 - pg_current_xact_id()::text::bigint * 1000) from conversation_events;

create function next_event_id() returns bigint
language plpgsql volatile as $$
declare
  lo bigint;
  n bigint;
begin
  lo := (select base from event_id_base) + pg_current_xact_id()::text::bigint * 1000;
  select count(*) into n from conversation_events where id >= lo and id < lo + 1000;
  if n >= 1000 then
    raise exception 'more than 1000 events in one transaction';
  end if;
  return lo + n;
end
$$;

-- Ids below this are final: their transactions have all committed or rolled back.
create function event_log_watermark() returns bigint
language sql stable as $$
  select base + pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1000 from event_id_base
$$;

alter table conversation_events alter column id drop identity;
alter table conversation_events alter column id set default next_event_id();
