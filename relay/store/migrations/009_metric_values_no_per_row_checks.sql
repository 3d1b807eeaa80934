-- Issue 15: ingestion cost per stage value. Each turn stores ~9 values; each value paid a text
-- primary-key entry (turn_id, stage) and a foreign-key check against turn_metrics. Values are
-- only ever written together with their turn, in the one statement that inserts the turn when
-- it is new (relay/metrics/ingest.ts), so neither can catch anything; nothing reads values by
-- turn id. Retention deletes values by their own ended_at (the turn's, copied), indexed.
alter table turn_metric_values drop constraint turn_metric_values_turn_id_fkey;
alter table turn_metric_values drop constraint turn_metric_values_pkey;
