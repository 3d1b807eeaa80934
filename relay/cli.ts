import { parseArgs } from 'node:util';
import { addAgent, AgentExistsError, listAgents, resetPassword } from './agents/accounts.ts';
import { readConfig } from './config.ts';
import { openStore } from './store/open.ts';
import type { Db } from './store/types.ts';

// `npm run relay -- <command>`: account administration, on the same database the relay uses
// (DATABASE_URL, or the embedded one in RELAY_DATA_DIR while the relay is stopped).

const USAGE = `usage: npm run relay -- <command>

  agent add <email> [--name "Display Name"]   create an agent; prints a generated password
  agent reset-password <email>                replace the password; ends the agent's sessions
  agent list                                  list agents and their presence
`;

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const config = readConfig();
  const db = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  const [group, command, email] = positionals;
  if (values.help || group !== 'agent') {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === 'add' && email) {
    const { agent, password } = await withDb((db) => addAgent(db, { email, name: values.name }));
    console.log(`Agent added: ${agent.name} <${agent.email}>`);
    console.log(`Password (shown once, store it now): ${password}`);
    return 0;
  }
  if (command === 'reset-password' && email) {
    const password = await withDb((db) => resetPassword(db, email));
    console.log(`New password for ${email.trim().toLowerCase()} (shown once): ${password}`);
    return 0;
  }
  if (command === 'list') {
    const agents = await withDb((db) => listAgents(db));
    if (agents.length === 0) console.log('No agents yet: npm run relay -- agent add <email>');
    for (const a of agents) console.log(`${a.email}\t${a.name}\t${a.presence}`);
    return 0;
  }
  process.stdout.write(USAGE);
  return 2;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    console.error(err instanceof AgentExistsError ? message : `error: ${message}`);
    process.exit(1);
  },
);
