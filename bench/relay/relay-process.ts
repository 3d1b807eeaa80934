// Starts bench/relay/server.ts as a child process and waits for its ready line. `root` picks the
// checkout whose server runs (bench/relay/ingest-compare.ts runs two checkouts' servers side by side; a
// checkout's server.ts must take the same arguments and print the same ready line).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../e2e/support/paths.ts';

export interface RelayProcess {
  url: string;
  pid: number;
  agents: { email: string; password: string }[];
  stop(): Promise<void>;
}

export async function startRelay(target: string, schema: string, agents: number, root = repoRoot): Promise<RelayProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/relay/server.ts', target, schema, String(agents)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ url: string; agents: RelayProcess['agents'] }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench relay in ${root} exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as { url: string; agents: RelayProcess['agents'] }));
  });
  return {
    ...ready,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
