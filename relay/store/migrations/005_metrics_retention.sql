-- Issue 15: turn metrics are pruned after a retention period (relay/metrics/retention.ts) and
-- every summary query reads one time window, so each needs an index that starts with time.

-- The summary's per-stage and distribution queries select a window of `ended_at` over all
-- stages; (stage, ended_at) served neither without scanning every stage's whole range.
drop index if exists turn_metric_values_stage_idx;
create index turn_metric_values_ended_idx on turn_metric_values (ended_at);

-- Handoffs by reason and time to claim read one window of handoff / state events.
create index conversation_events_type_created_idx on conversation_events (type, created_at);
