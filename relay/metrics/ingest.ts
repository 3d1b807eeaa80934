import type { z } from 'zod';
import { DURATION_NAMES, TurnMetricSchema, type MetricsBatchResponse } from '../../src/protocol/metrics.ts';
import type { Db } from '../store/types.ts';
import { STAGE_ENGINE, storedStage, timingVersionOf } from './stages.ts';

type Turn = z.output<typeof TurnMetricSchema>;

/** One stored duration: the stage it is reported under, and the model and backend of its engine. */
export interface StoredValue {
  stage: string;
  value: number;
  model: string | null;
  backend: string | null;
}

/** A turn newly stored by `ingestTurns` (not a duplicate), as the Prometheus metrics count it. */
export interface StoredTurn {
  source: Turn['source'];
  interrupted: boolean;
  endOfTurn: Turn['endOfTurn'] | null;
  eager: Turn['eager'] | null;
  values: StoredValue[];
}

/** Turns may arrive days late (queued offline), but not from the future or the distant past. */
const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

function clamp(endedAt: string, now: Date): Date {
  const t = Date.parse(endedAt);
  return new Date(Math.min(now.getTime(), Math.max(now.getTime() - MAX_AGE_MS, t)));
}

function validate(turns: unknown[]): { valid: Turn[]; duplicates: number; rejected: MetricsBatchResponse['rejected'] } {
  const rejected: MetricsBatchResponse['rejected'] = [];
  const valid = new Map<string, Turn>();
  let duplicates = 0;
  turns.forEach((raw, index) => {
    const parsed = TurnMetricSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      rejected.push({ index, message: `${issue?.path.join('.') || 'turn'}: ${issue?.message ?? 'invalid'}` });
    } else if (valid.has(parsed.data.turnId)) {
      duplicates++;
    } else {
      valid.set(parsed.data.turnId, parsed.data);
    }
  });
  return { valid: [...valid.values()], duplicates, rejected };
}

/**
 * Stores a batch. Valid turns are kept even when others in the batch are not; a turnId
 * already stored (a replayed batch, a retry after a lost response) counts as a duplicate
 * and changes nothing. Two statements with array parameters, whatever the batch size.
 * Voice to voice from apps that measured it from `speechEnd` (no `timingVersion`) is stored as
 * `voiceToVoiceFromSpeechEnd` (migration 004), so `voiceToVoice` always runs from the last word.
 * `onStored` gets the newly stored turns once they are committed (the Prometheus histograms
 * are observed there, at ingestion, never recomputed from the table).
 */
export async function ingestTurns(
  db: Db,
  turns: unknown[],
  now: Date,
  onStored?: (turns: StoredTurn[]) => void,
): Promise<MetricsBatchResponse> {
  const { valid, duplicates, rejected } = validate(turns);
  if (valid.length === 0) return { accepted: 0, duplicates, rejected };
  const endedAt = new Map(valid.map((t) => [t.turnId, clamp(t.endedAt, now)]));
  const col = <T>(f: (t: Turn) => T) => valid.map(f);

  const stored = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ turn_id: string }>(
      `insert into turn_metrics (turn_id, session_id, device_class, source, ended_at, received_at,
         asr_model, llm_model, tts_model, asr_backend, llm_backend, tts_backend, tokens, interrupted, capped, app_version,
         timing_version, end_of_turn, eager_started, eager_kept, eager_discarded)
       select t.turn_id, t.session_id, t.device_class, t.source, t.ended_at, $6,
         t.asr_model, t.llm_model, t.tts_model, t.asr_backend, t.llm_backend, t.tts_backend, t.tokens, t.interrupted, t.capped, t.app_version,
         t.timing_version, t.end_of_turn, t.eager_started, t.eager_kept, t.eager_discarded
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
         $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::bool[], $15::bool[], $16::text[],
         $17::int[], $18::text[], $19::int[], $20::int[], $21::int[])
         as t(turn_id, session_id, device_class, source, ended_at,
           asr_model, llm_model, tts_model, asr_backend, llm_backend, tts_backend, tokens, interrupted, capped, app_version,
           timing_version, end_of_turn, eager_started, eager_kept, eager_discarded)
       on conflict (turn_id) do nothing
       returning turn_id`,
      [
        col((t) => t.turnId),
        col((t) => t.sessionId ?? null),
        col((t) => t.deviceClass ?? null),
        col((t) => t.source),
        col((t) => endedAt.get(t.turnId)!),
        now,
        col((t) => t.models.asr ?? null),
        col((t) => t.models.llm ?? null),
        col((t) => t.models.tts ?? null),
        col((t) => t.backends.asr ?? null),
        col((t) => t.backends.llm ?? null),
        col((t) => t.backends.tts ?? null),
        col((t) => t.tokens),
        col((t) => t.interrupted),
        col((t) => t.capped),
        col((t) => t.appVersion ?? null),
        col((t) => timingVersionOf(t)),
        col((t) => t.endOfTurn ?? null),
        col((t) => t.eager?.started ?? null),
        col((t) => t.eager?.kept ?? null),
        col((t) => t.eager?.discarded ?? null),
      ],
    );
    const fresh = new Set(rows.map((r) => r.turn_id));
    const values: [string, string, number, string | null, string | null, Date][] = [];
    const storedTurns: StoredTurn[] = [];
    for (const turn of valid) {
      if (!fresh.has(turn.turnId)) continue;
      const turnValues: StoredValue[] = [];
      for (const stage of DURATION_NAMES) {
        const value = turn.durations[stage];
        if (value === undefined) continue;
        const engine = STAGE_ENGINE[stage];
        const v: StoredValue = {
          stage: storedStage(stage, turn),
          value,
          model: engine ? (turn.models[engine] ?? null) : null,
          backend: engine ? (turn.backends[engine] ?? null) : null,
        };
        turnValues.push(v);
        values.push([turn.turnId, v.stage, v.value, v.model, v.backend, endedAt.get(turn.turnId)!]);
      }
      storedTurns.push({
        source: turn.source,
        interrupted: turn.interrupted,
        endOfTurn: turn.endOfTurn ?? null,
        eager: turn.eager ?? null,
        values: turnValues,
      });
    }
    if (values.length > 0) {
      await tx.query(
        `insert into turn_metric_values (turn_id, stage, value, model, backend, ended_at)
         select * from unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::text[], $6::timestamptz[])`,
        [0, 1, 2, 3, 4, 5].map((i) => values.map((v) => v[i] as string | number | Date | null)),
      );
    }
    return storedTurns;
  });
  if (stored.length > 0) onStored?.(stored);
  return { accepted: stored.length, duplicates: duplicates + (valid.length - stored.length), rejected };
}
