import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import type { OutboxRow } from '../../main/replica/replica';
import type { Result } from '../../shared/errors';
import { hashEntry, type Entry, type EntryHash } from './checker';
import { Officer, type OfficerPlan } from './officer';

/**
 * One console of the fault suite in its own process: the real console host (replica worker
 * thread, SQLite replica, sync engine, outbox) on a data folder, driven over IPC, killed
 * with SIGKILL by the runner and started again on the same folder.
 *
 * Parent → child: { id, cmd: 'invoke', channel, args } | { id, cmd: 'call', op, args } | { id, cmd: 'logHashes', after }
 *                 | { id, cmd: 'officer', plan } | { id, cmd: 'stopOfficer' } | { id, cmd: 'close' }.
 * Child → parent: { ready: { consoleId } }, answers { id, value } / { id, error }, and, unasked:
 *   { written: { mutationId, type, marker } } — the console answered the officer: the action is in its outbox;
 *   { confirmed: string[] } — outbox rows the console now shows as confirmed by the hub (acked or confirmed);
 *   { refused: Array<{ id, code }> } — rows the hub refused (shown in "needs attention").
 */
interface Config {
  dataDir: string;
  /** the bundled replica worker and the migrations folder (tests/faults/build.ts) */
  workerPath?: string;
  migrationsDir?: string;
  hubUrl: string;
  token: string;
  consoleId: string;
  ackTimeoutMs: number;
}
interface Command {
  id: number;
  cmd: 'invoke' | 'call' | 'logHashes' | 'officer' | 'stopOfficer' | 'close';
  after?: number;
  channel?: string;
  op?: string;
  args?: unknown;
  plan?: OfficerPlan;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const send = (m: unknown) => process.send?.(m);

// No top-level await: this file is also bundled as CommonJS (tests/faults/build.ts).
void main().catch((err: unknown) => {
  process.stderr.write(`fault console: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

async function main(): Promise<void> {
  const host: ConsoleHost = await startConsoleHost({
    dataDir: config.dataDir,
    hubUrl: config.hubUrl,
    token: config.token,
    consoleId: config.consoleId,
    reconnect: { delayMs: 100, maxDelayMs: 1_000, jitter: 0.5 },
    ackTimeoutMs: config.ackTimeoutMs,
    ...(config.workerPath ? { workerPath: config.workerPath } : {}),
    ...(config.migrationsDir ? { migrationsDir: config.migrationsDir } : {}),
  });

  // What the officer is shown as confirmed: outbox rows the hub accepted. Reported once each.
  const reported = new Set<string>();
  const watch = setInterval(() => {
    void host.call('getOutbox').then((r: Result<unknown>) => {
      if (!r.ok) return;
      const confirmed: string[] = [];
      const refused: Array<{ id: string; code: string }> = [];
      for (const row of r.value as OutboxRow[]) {
        if (reported.has(row.id)) continue;
        if (row.state === 'acked' || row.state === 'confirmed') confirmed.push(row.id);
        else if (row.state === 'rejected') refused.push({ id: row.id, code: row.error?.code ?? '?' });
        else continue;
        reported.add(row.id);
      }
      if (confirmed.length) send({ confirmed });
      if (refused.length) send({ refused });
    });
  }, 50);

  let officer: Officer | null = null;

  /** The replica's log after `after` (getLog, page by page), as [seq, hash] pairs: small enough for IPC. */
  async function logHashes(after: number): Promise<EntryHash[]> {
    const out: EntryHash[] = [];
    for (let from = after; ;) {
      const r = await host.call('getLog', { after: from, limit: 2_000 });
      if (!r.ok) throw new Error(r.error.message);
      const page = r.value as Entry[];
      if (page.length === 0) return out;
      for (const e of page) out.push(hashEntry(e));
      from = page.at(-1)!.seq;
    }
  }

  process.on('message', (raw) => {
    const m = raw as Command;
    void (async () => {
      try {
        let value: unknown = null;
        if (m.cmd === 'invoke') value = await host.invoke(`watchfloor:${m.channel}`, m.args);
        else if (m.cmd === 'call') value = await host.call(m.op as Parameters<ConsoleHost['call']>[0], m.args);
        else if (m.cmd === 'logHashes') value = await logHashes(m.after ?? 0);
        else if (m.cmd === 'officer') {
          officer?.stop();
          officer = new Officer(host, m.plan!, (w) => send({ written: w }));
          officer.start();
        } else if (m.cmd === 'stopOfficer') {
          await officer?.stop();
          officer = null;
        } else {
          await officer?.stop();
          clearInterval(watch);
          await host.close();
          send({ id: m.id, value: null });
          process.exit(0);
        }
        send({ id: m.id, value });
      } catch (err) {
        send({ id: m.id, error: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
  send({ ready: { consoleId: host.consoleId } });
}
