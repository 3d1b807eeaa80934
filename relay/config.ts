import { resolve } from 'node:path';

/** Everything the relay reads from its environment, read in one place. */
export interface RelayConfig {
  port: number;
  host: string;
  distDir: string;
  /** `MODELS`: unset/`hub`, `fixtures`, or a mirror folder. */
  models: string | undefined;
  /** PostgreSQL server; unset means embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Origins (besides our own) allowed to call the API from a browser. */
  allowedOrigins: string[];
  /** Seconds a handoff waits for an agent before going back to the bot. */
  handoffSlaSeconds: number;
  /** Take the client address from `X-Forwarded-For` (only behind a reverse proxy). */
  trustProxy: boolean;
  extraConnectSrc: string[];
  /** Bearer token required on `/metrics` (Prometheus); unset leaves it open. */
  metricsToken: string | undefined;
  /** Days turn metrics are kept (`RELAY_METRICS_RETENTION_DAYS`); 0 keeps them forever. */
  metricsRetentionDays: number;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): RelayConfig {
  return {
    port: int('PORT', env.PORT, 8787, 0, 65535),
    // Loopback unless told otherwise: exposing the relay to a network is a decision.
    host: env.HOST?.trim() || '127.0.0.1',
    distDir: resolve(cwd, env.RELAY_DIST_DIR ?? 'dist'),
    models: env.MODELS,
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    dataDir: resolve(cwd, env.RELAY_DATA_DIR ?? '.relay-data'),
    allowedOrigins: list(env.RELAY_ALLOWED_ORIGINS),
    handoffSlaSeconds: int('RELAY_HANDOFF_SLA_SECONDS', env.RELAY_HANDOFF_SLA_SECONDS, 120, 5, 86_400),
    trustProxy: env.RELAY_TRUST_PROXY === 'true' || env.RELAY_TRUST_PROXY === '1',
    extraConnectSrc: list(env.RELAY_CSP_CONNECT_SRC),
    metricsToken: env.RELAY_METRICS_TOKEN?.trim() || undefined,
    metricsRetentionDays: int('RELAY_METRICS_RETENTION_DAYS', env.RELAY_METRICS_RETENTION_DAYS, 90, 0, 36_500),
  };
}
