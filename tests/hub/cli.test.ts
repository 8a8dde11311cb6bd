import { execFile, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HelloAck } from '../../shared/protocol';
import { startHub } from '../../hub/server';
import { ask, connect, tempDir } from './helpers';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const cli = ['--import', 'tsx', join(root, 'hub/cli.ts')];

describe('hub CLI', () => {
  it('token: prints a token the hub accepts, naming the officer and role; the secret is 0600', async () => {
    const t = tempDir();
    try {
      const { stdout } = await run(
        process.execPath,
        [
          ...cli,
          'token',
          '--data',
          t.dir,
          '--role',
          'supervisor',
          '--name',
          'Maria Rossi',
          '--position',
          'EOC Supervisor',
        ],
        { cwd: root },
      );
      const token = stdout.trim();
      expect(token.split('.')).toHaveLength(3);
      expect(statSync(join(t.dir, 'secret.key')).mode & 0o777).toBe(0o600);
      const hub = await startHub({ dataDir: t.dir, port: 0 });
      try {
        const s = await connect(hub.url, { token });
        const ack = HelloAck.parse(await ask(s, 'hello', { consoleId: 'cli-test', cursor: 0, schema: 1 }));
        expect(ack.officer).toEqual({ name: 'Maria Rossi', role: 'supervisor', position: 'EOC Supervisor' });
        s.close();
      } finally {
        await hub.close();
      }
    } finally {
      t.remove();
    }
  });

  it('bad arguments: a clear message and exit status 2', async () => {
    const cases = [
      ['token', '--data', '/tmp/x', '--role', 'chief', '--name', 'Al'],
      ['token', '--role', 'officer'],
      ['serve', '--port', 'eighty', '--data', '/tmp/x'],
      ['serve', '--port', '0', '--data', '/tmp/x', '--simulate', 'atlantis'],
      ['serve', '--port', '0', '--data', '/tmp/x', '--what'],
      ['launch'],
    ];
    const results = await Promise.all(
      cases.map((args) =>
        run(process.execPath, [...cli, ...args], { cwd: root }).then(
          () => null,
          (err: { code: number; stderr: string }) => err,
        ),
      ),
    );
    for (const [i, failed] of results.entries()) {
      expect(failed, cases[i]!.join(' ')).not.toBeNull();
      expect(failed!.code).toBe(2);
      expect(failed!.stderr).toMatch(/^hub: .+\nusage:/s);
    }
  });

  it('serve: logs its URL, serves /health, and shuts down cleanly on SIGTERM', async () => {
    const t = tempDir();
    try {
      const child = spawn(
        process.execPath,
        [...cli, 'serve', '--port', '0', '--data', t.dir, '--simulate', 'demo-city', '--rate', '0'],
        {
          cwd: root,
        },
      );
      const url = await new Promise<string>((res, rej) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) res(m[1]!);
        });
        child.once('exit', (code) => rej(new Error(`hub exited ${code}`)));
      });
      const health = (await (await fetch(`${url}/health`)).json()) as { status: string; head: number };
      // the city's 231 assets and its 64-unit roster (issue 4)
      expect(health).toMatchObject({ status: 'ok', head: 231 + 64 });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      t.remove();
    }
  });
});
