import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { readConfig } from './config.ts';
import { startSlaSweeper } from './handoff/sla-sweeper.ts';
import { RelayMetrics } from './metrics/registry.ts';
import { DAY_MS, startMetricsRetention } from './metrics/retention.ts';
import { resolveModels } from './models/resolve-models.ts';
import { openStore } from './store/open.ts';
import { relayVersion } from './version.ts';
import { setMaxListeners } from 'node:events';

// Entry point: read the environment, open the database, serve the app and the API.

function browsable(host: string): string {
  return ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
}

async function main(): Promise<void> {
  const config = readConfig();
  const models = resolveModels(config.models);
  const db = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const shutdown = new AbortController();
  // Every open event stream listens for shutdown; hundreds at once are normal, not a leak.
  setMaxListeners(0, shutdown.signal);
  const log = (message: string, err?: unknown) => console.error(`[relay] ${message}:`, err instanceof Error ? err.message : (err ?? ''));
  const metrics = new RelayMetrics({ db, modelSets: models.clientConfig.modelSets, log });
  const app = createApp({
    db,
    models,
    distDir: config.distDir,
    version: relayVersion(),
    extraConnectSrc: config.extraConnectSrc,
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
    handoffSlaSeconds: config.handoffSlaSeconds,
    shutdown: shutdown.signal,
    metricsToken: config.metricsToken,
    metrics,
  });
  const stopRetention = startMetricsRetention({
    db,
    maxAgeMs: config.metricsRetentionDays * DAY_MS,
    onBatch: (count) => metrics.turnsPruned(count),
    log,
  });
  const stopSweeper = startSlaSweeper(
    { db, now: () => new Date(), slaMs: config.handoffSlaSeconds * 1000 },
    1_000,
    (err) => console.error('[relay] SLA sweep failed:', err instanceof Error ? err.message : err),
  );

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info: AddressInfo) => {
    const base = `http://${browsable(config.host)}:${info.port}`;
    console.log(`Voice app: ${base}/`);
    console.log(`Agent dashboard: ${base}/agent/`);
    const where = db.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${config.dataDir}`;
    console.log(`Database: ${where}. Models: ${models.mirrorDir ? `mirror ${models.mirrorDir}` : 'Hugging Face hub'}.`);
    if (config.host === '127.0.0.1') console.log('Listening on loopback only; set HOST=0.0.0.0 to reach it from other machines.');
  });
  server.on('error', (err: Error) => {
    console.error(`[relay] Cannot listen on ${config.host}:${config.port}: ${err.message}`);
    void db.close().finally(() => process.exit(1));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[relay] ${signal}: shutting down`);
    stopSweeper();
    stopRetention();
    shutdown.abort();
    // Open SSE streams would keep close() waiting forever; give requests a moment, then cut.
    const force = setTimeout(() => (server as { closeAllConnections?: () => void }).closeAllConnections?.(), 2_000);
    force.unref();
    server.close(() => {
      db.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error('[relay] closing the database failed:', err);
          process.exit(1);
        },
      );
    });
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`[relay] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
