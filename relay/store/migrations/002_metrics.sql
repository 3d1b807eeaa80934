-- Latency metrics from devices (issue 6): one row per turn, one row per measured duration.

create table turn_metrics (
  -- Chosen by the device; a replayed batch inserts nothing new.
  turn_id text primary key,
  session_id text,
  device_class text,
  source text not null check (source in ('voice', 'text')),
  -- Device's turn end, clamped to the relay's clock on receipt.
  ended_at timestamptz not null,
  received_at timestamptz not null,
  asr_model text,
  llm_model text,
  tts_model text,
  asr_backend text,
  llm_backend text,
  tts_backend text,
  tokens integer not null default 0,
  interrupted boolean not null default false,
  capped boolean not null default false
);
create index turn_metrics_ended_idx on turn_metrics (ended_at);

-- Long form so percentiles per stage are one GROUP BY; model/backend are those of the
-- engine behind the stage, copied here so grouping needs no join.
create table turn_metric_values (
  turn_id text not null references turn_metrics (turn_id) on delete cascade,
  stage text not null,
  value double precision not null,
  model text,
  backend text,
  ended_at timestamptz not null,
  primary key (turn_id, stage)
);
create index turn_metric_values_stage_idx on turn_metric_values (stage, ended_at);
