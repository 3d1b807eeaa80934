import type { z } from 'zod';
import { DURATION_NAMES, TurnMetricSchema, type MetricsBatchResponse } from '../../src/protocol/metrics.ts';
import type { Db } from '../store/types.ts';
import { STAGE_ENGINE, storedStage, timingVersionOf } from './stages.ts';

type Turn = z.output<typeof TurnMetricSchema>;

interface TurnRow {
  turn_id: string;
  [column: string]: unknown;
}
interface ValueRow {
  turn_id: string;
  stage: string;
  value: number;
  model: string | null;
  backend: string | null;
  ended_at: string;
}
interface Pending {
  turns: TurnRow[];
  values: ValueRow[];
  done: (fresh: Set<string>) => void;
  fail: (err: unknown) => void;
}

/** Statements in flight per database; batches arriving meanwhile wait and go out together. */
const MAX_IN_FLIGHT = 3;
/** At most this many turns per statement. */
const MAX_TURNS_PER_STATEMENT = 1_000;

/**
 * Writes batches of turns, several requests' batches in one statement when they arrive while
 * earlier ones are being written: a statement costs a round trip, a plan and a commit whatever
 * its size, so under load fewer, larger statements store more turns per second. Each statement
 * is atomic on its own (no BEGIN/COMMIT round trips) and prepared once per connection.
 */
class TurnWriter {
  #queue: Pending[] = [];
  #inFlight = 0;

  constructor(private readonly db: Db) {}

  /** Resolves with the turn ids this call stored (not already in the table) once committed. */
  write(batch: { turns: TurnRow[]; values: ValueRow[] }): Promise<Set<string>> {
    return new Promise((done, fail) => {
      this.#queue.push({ ...batch, done, fail });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#queue.length > 0) {
      const group: Pending[] = [];
      let turns = 0;
      while (this.#queue.length > 0 && (group.length === 0 || turns + this.#queue[0]!.turns.length <= MAX_TURNS_PER_STATEMENT)) {
        const next = this.#queue.shift()!;
        group.push(next);
        turns += next.turns.length;
      }
      this.#inFlight++;
      void this.#flush(group).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  async #flush(group: Pending[]): Promise<void> {
    // A turn id in two batches of one statement: the first batch stores it, the other sees a duplicate.
    const owner = new Map<string, Pending>();
    const turns: TurnRow[] = [];
    const values: ValueRow[] = [];
    for (const p of group) {
      for (const t of p.turns) {
        if (owner.has(t.turn_id)) continue;
        owner.set(t.turn_id, p);
        turns.push(t);
      }
      for (const v of p.values) if (owner.get(v.turn_id) === p) values.push(v);
    }
    try {
      const { rows } = await this.db.query<{ turn_id: string }>(INSERT_TURNS, [JSON.stringify(turns), JSON.stringify(values)], { name: 'relay_ingest_turns' });
      const fresh = new Map<Pending, Set<string>>(group.map((p) => [p, new Set()]));
      for (const { turn_id } of rows) fresh.get(owner.get(turn_id)!)!.add(turn_id);
      for (const p of group) p.done(fresh.get(p)!);
    } catch (err) {
      for (const p of group) p.fail(err);
    }
  }
}

const writers = new WeakMap<Db, TurnWriter>();
function writerFor(db: Db): TurnWriter {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new TurnWriter(db)));
  return writer;
}

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

const INSERT_TURNS = `with turns as (
    insert into turn_metrics (turn_id, session_id, device_class, source, ended_at, received_at,
      asr_model, llm_model, tts_model, asr_backend, llm_backend, tts_backend, tokens, interrupted, capped, app_version,
      timing_version, end_of_turn, eager_started, eager_kept, eager_discarded)
    select t.turn_id, t.session_id, t.device_class, t.source, t.ended_at, t.received_at,
      t.asr_model, t.llm_model, t.tts_model, t.asr_backend, t.llm_backend, t.tts_backend, t.tokens, t.interrupted, t.capped, t.app_version,
      t.timing_version, t.end_of_turn, t.eager_started, t.eager_kept, t.eager_discarded
    from json_to_recordset($1::json) as t(turn_id text, session_id text, device_class text, source text, ended_at timestamptz, received_at timestamptz,
      asr_model text, llm_model text, tts_model text, asr_backend text, llm_backend text, tts_backend text, tokens int, interrupted bool,
      capped bool, app_version text, timing_version int, end_of_turn text, eager_started int, eager_kept int, eager_discarded int)
    on conflict (turn_id) do nothing
    returning turn_id
  ), stage_values as (
    insert into turn_metric_values (turn_id, stage, value, model, backend, ended_at)
    select v.turn_id, v.stage, v.value, v.model, v.backend, v.ended_at
    from json_to_recordset($2::json) as v(turn_id text, stage text, value float8, model text, backend text, ended_at timestamptz)
    where v.turn_id in (select turn_id from turns)
  )
  select turn_id from turns`;

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
 * and changes nothing. One statement with two JSON parameters, whatever the batch size,
 * shared with batches of other requests that arrive meanwhile (`TurnWriter`).
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
  const endedAt = new Map(valid.map((t) => [t.turnId, clamp(t.endedAt, now).toISOString()]));
  const receivedAt = now.toISOString();

  // Each turn as one JSON row, its stage values as rows of their own (keyed by turn id).
  const turnRows = valid.map((t): TurnRow => ({
    turn_id: t.turnId,
    session_id: t.sessionId ?? null,
    device_class: t.deviceClass ?? null,
    source: t.source,
    ended_at: endedAt.get(t.turnId)!,
    received_at: receivedAt,
    asr_model: t.models.asr ?? null,
    llm_model: t.models.llm ?? null,
    tts_model: t.models.tts ?? null,
    asr_backend: t.backends.asr ?? null,
    llm_backend: t.backends.llm ?? null,
    tts_backend: t.backends.tts ?? null,
    tokens: t.tokens,
    interrupted: t.interrupted,
    capped: t.capped,
    app_version: t.appVersion ?? null,
    timing_version: timingVersionOf(t),
    end_of_turn: t.endOfTurn ?? null,
    eager_started: t.eager?.started ?? null,
    eager_kept: t.eager?.kept ?? null,
    eager_discarded: t.eager?.discarded ?? null,
  }));
  const storedTurns = new Map<string, StoredTurn>();
  const valueRows: ValueRow[] = [];
  for (const turn of valid) {
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
      valueRows.push({ turn_id: turn.turnId, ...v, ended_at: endedAt.get(turn.turnId)! });
    }
    storedTurns.set(turn.turnId, { source: turn.source, interrupted: turn.interrupted, endOfTurn: turn.endOfTurn ?? null, eager: turn.eager ?? null, values: turnValues });
  }

  const fresh = await writerFor(db).write({ turns: turnRows, values: valueRows });
  const stored = valid.filter((t) => fresh.has(t.turnId)).map((t) => storedTurns.get(t.turnId)!);
  if (stored.length > 0) onStored?.(stored);
  return { accepted: stored.length, duplicates: duplicates + (valid.length - stored.length), rejected };
}
