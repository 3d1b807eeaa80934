// The relay under load, in its own process so its memory is measured alone:
// `tsx bench/relay/server.ts pglite|<postgres-url> <schema> <agents>`. The same app as
// relay/main.ts (createApp), with the rate limits raised: the benchmark measures the relay's
// capacity, not its per-address limits. Agent accounts are made before it listens (the CLI's
// `agent add` cannot while a relay holds the embedded DB). Prints one JSON line when ready.
import { addAgent } from '../../relay/agents/accounts.ts';
import { createApp } from '../../relay/app.ts';
import { resolveModels } from '../../relay/models/resolve-models.ts';
import { migrate } from '../../relay/store/migrate.ts';
import { openPglite } from '../../relay/store/pglite.ts';
import { openPostgres } from '../../relay/store/postgres.ts';
import { listen } from '../../relay/test-support/raw-http.ts';
import { makeDist } from '../../relay/test-support/temp-dirs.ts';
import { setMaxListeners } from 'node:events';

const [target = 'pglite', schema = 'relay_bench', agentCount = '4'] = process.argv.slice(2);
const db = target === 'pglite' ? await openPglite() : await openPostgres({ connectionString: target, schema });
await migrate(db);
const agents: { email: string; password: string }[] = [];
for (let i = 0; i < Number(agentCount); i += 1) {
  const email = `bench-agent-${i}@example.com`;
  const { password } = await addAgent(db, { email });
  agents.push({ email, password });
}
const unlimited = { limit: 1e9, windowMs: 1000 };
const shutdown = new AbortController();
// Every open event stream listens for shutdown (as in relay/main.ts); many at once are expected.
setMaxListeners(0, shutdown.signal);
const app = createApp({
  db,
  models: resolveModels(undefined),
  distDir: makeDist(),
  log: () => {},
  shutdown: shutdown.signal,
  limits: { perIp: unlimited, perToken: unlimited, handoffCreate: unlimited, login: unlimited, metrics: unlimited },
  ...(process.env.SHARED_LIMITS === '0' ? { sharedLimits: false } : {}),
});
const server = await listen(app);
console.log(JSON.stringify({ url: server.url, agents }));

process.on('SIGTERM', () => {
  shutdown.abort();
  void server
    .close()
    .then(() => db.close())
    .finally(() => process.exit(0));
});
