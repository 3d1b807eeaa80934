import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findAgentByEmail } from './agents/accounts.ts';
import { verifyPassword } from './agents/password.ts';
import { openStore } from './store/open.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

function cli(args: string[], dataDir: string) {
  return run(process.execPath, ['--import', 'tsx', 'relay/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, RELAY_DATA_DIR: dataDir, DATABASE_URL: '' },
  });
}

describe('npm run relay -- agent add', () => {
  it('creates an agent with a generated password that logs in, and no default account exists', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-cli-'));
    const { stdout } = await cli(['agent', 'add', 'Ops@Example.com', '--name', 'Ops Person'], dataDir);
    expect(stdout).toContain('Agent added: Ops Person <ops@example.com>');
    const password = /Password \(shown once, store it now\): (\S+)/.exec(stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);

    const again = await cli(['agent', 'add', 'ops@example.com'], dataDir).catch((err: { code: number; stderr: string }) => err);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });

    const db = await openStore({ dataDir });
    try {
      const row = await findAgentByEmail(db, 'ops@example.com');
      expect(row?.password_hash).toMatch(/^scrypt\$/);
      expect(row?.password_hash).not.toContain(password!);
      expect(await verifyPassword(password!, row!.password_hash)).toBe(true);
      expect(await verifyPassword('password', row!.password_hash)).toBe(false);
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from agents');
      expect(rows[0]!.n).toBe(1);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('refuses to open an embedded database another process holds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-lock-'));
    const db = await openStore({ dataDir });
    try {
      const result = await cli(['agent', 'list'], dataDir).catch((err: { code: number; stderr: string }) => err);
      expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining('is in use by process') });
    } finally {
      await db.close();
    }
  }, 60_000);
});
