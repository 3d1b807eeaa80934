import type { Hono } from 'hono';

// A strict reader of the Prometheus text format (0.0.4) for relay tests: every line must be a
// HELP/TYPE comment or a sample of a family whose TYPE came first, or it throws naming the line.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const META = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*)\})? (-?[0-9.eE+-]+|\+Inf|-Inf|NaN)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"/g;
const TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

/** `name{a="1",b="2"}` with the labels sorted by name: one key per series, whatever the order written. */
export function seriesKey(name: string, labels: Record<string, string> = {}): string {
  const pairs = Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return pairs.length ? `${name}{${pairs.join(',')}}` : name;
}

export class Exposition {
  readonly samples: Sample[] = [];
  readonly types = new Map<string, string>();
  readonly #byKey = new Map<string, number>();

  constructor(text: string) {
    if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
    for (const line of text.slice(0, -1).split('\n')) {
      if (line === '') continue;
      const meta = META.exec(line);
      if (meta) {
        if (meta[1] === 'TYPE') {
          if (!TYPES.includes(meta[3]!)) throw new Error(`unknown type: ${line}`);
          if (this.types.has(meta[2]!)) throw new Error(`second TYPE for ${meta[2]}`);
          this.types.set(meta[2]!, meta[3]!);
        }
        continue;
      }
      const sample = SAMPLE.exec(line);
      if (!sample) throw new Error(`not a sample line: ${line}`);
      const name = sample[1]!;
      const family = this.types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
      if (!this.types.has(family)) throw new Error(`sample before its TYPE: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (sample[2] ?? '').matchAll(LABEL)) labels[key!] = value!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
      const raw = sample[3]!;
      const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
      const key = seriesKey(name, labels);
      if (this.#byKey.has(key)) throw new Error(`series twice: ${line}`);
      this.#byKey.set(key, value);
      this.samples.push({ name, labels, value });
    }
  }

  /** The value of one series, or undefined when it is not there. */
  get(name: string, labels: Record<string, string> = {}): number | undefined {
    return this.#byKey.get(seriesKey(name, labels));
  }

  /** The value, or 0 when the series is not there (a counter not yet touched). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.get(name, labels) ?? 0;
  }

  /** Every sample of `name` (e.g. `relay_turn_stage_duration_seconds_count`). */
  named(name: string): Sample[] {
    return this.samples.filter((s) => s.name === name);
  }
}

/** Scrapes `/metrics` of an app with the bearer token (if any) and parses it strictly. */
export async function scrape(app: Hono, token?: string): Promise<Exposition> {
  const res = await app.request('/metrics', token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return new Exposition(await res.text());
}
