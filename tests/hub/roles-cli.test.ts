import { execFile, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SignInAnswer } from '../../shared/domain/officer';
import { startHub } from '../../hub/server';
import { tempDir } from './helpers';

/** `npm run hub -- officer add|list|remove` (issue 6): the roster a real hub then signs in from. */

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const cli = ['--import', 'tsx', join(root, 'hub/cli.ts')];

/** Runs the CLI with `stdin` written to it; resolves with its exit code and output. */
function withStdin(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const env = { ...process.env };
    delete env['WATCHFLOOR_PASSWORD'];
    const child = spawn(process.execPath, [...cli, ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('hub CLI: officer', () => {
  it('adds (password from stdin), lists without the password, removes; the hub signs in from that roster', async () => {
    const t = tempDir();
    try {
      const base = [
        '--data',
        t.dir,
        '--name',
        'Mara Quist',
        '--position',
        'EOC Supervisor',
        '--agency',
        'Port Halden EOC',
      ];
      const added = await withStdin(['officer', 'add', ...base, '--role', 'supervisor'], 'correct horse battery\n');
      expect(added).toMatchObject({ code: 0 });
      expect(JSON.parse(added.stdout)).toEqual({
        name: 'Mara Quist',
        position: 'EOC Supervisor',
        agency: 'Port Halden EOC',
        role: 'supervisor',
      });
      const { stdout: listed } = await run(process.execPath, [...cli, 'officer', 'list', '--data', t.dir], {
        cwd: root,
      });
      expect(listed).not.toContain('correct horse');
      expect(listed).not.toContain('scrypt');
      expect(JSON.parse(listed.trim())).toMatchObject({ name: 'Mara Quist', role: 'supervisor', active: true });

      const hub = await startHub({ dataDir: t.dir, port: 0 });
      try {
        const signIn = () =>
          fetch(`${hub.url}/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'Mara Quist', password: 'correct horse battery' }),
          });
        const ok = await signIn();
        expect(ok.status).toBe(200);
        expect(SignInAnswer.parse(await ok.json()).officer.role).toBe('supervisor');
        // removed while the hub runs: the next sign-in is refused
        await run(process.execPath, [...cli, 'officer', 'remove', '--data', t.dir, '--name', 'Mara Quist'], {
          cwd: root,
        });
        expect((await signIn()).status).toBe(401);
      } finally {
        await hub.close();
      }
    } finally {
      t.remove();
    }
  });

  it('refuses a short password, a bad role and missing fields with exit 2 and a sentence', async () => {
    const t = tempDir();
    try {
      const base = [
        'officer',
        'add',
        '--data',
        t.dir,
        '--name',
        'Ben Ito',
        '--position',
        'Duty Officer',
        '--agency',
        'EOC',
      ];
      const short = await withStdin([...base, '--role', 'officer'], 'short\n');
      expect(short.code).toBe(2);
      expect(short.stderr).toMatch(/at least 8 characters/);
      const role = await withStdin([...base, '--role', 'feed'], 'long-enough-1\n');
      expect(role.code).toBe(2);
      expect(role.stderr).toMatch(/--role must be officer or supervisor/);
      const missing = await withStdin(['officer', 'add', '--data', t.dir, '--role', 'officer'], 'long-enough-1\n');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/--name, --position and --agency are required/);
    } finally {
      t.remove();
    }
  });
});
