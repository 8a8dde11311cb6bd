import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionStatus } from '../../shared/api';
import { chainFields } from '../../shared/audit/chain';
import { sha256 as nodeSha256 } from '../../hub/audit/sha256';
import type { MutationPayload, MutationType } from '../../shared/domain/mutations';
import { newId } from '../../shared/ids';
import { MutateAck } from '../../shared/protocol';
import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import { openReplicaDb } from '../../main/replica/db';
import { startHub, type Hub } from '../../hub/server';
import { ask, consoleFor, hlc } from '../hub/helpers';
import { eventually } from './stub-hub';
import { tempDir } from './fixtures';

/**
 * The console checks the hub's hash chain of what it receives (issue 6): a real hub, a real
 * console host (replica worker); the hub's SQLite is edited behind its back and the console
 * raises a persistent integrity alarm naming the first bad entry.
 */
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const dir = (name: string) => {
  const t = tempDir(`watchfloor-chain-${name}-`);
  cleanups.push(t.cleanup);
  return t.dir;
};

async function openHub(dataDir: string): Promise<Hub> {
  const hub = await startHub({ dataDir, port: 0, simulate: null });
  cleanups.push(() => hub.close());
  return hub;
}

/** Writes `notes` as log entries on a hub (an incident first), through the mutate protocol. */
async function writeLog(hub: Hub, notes: string[]): Promise<void> {
  const socket = await consoleFor(hub, 'officer', 'Ada Okafor');
  const mutate = async <T extends MutationType>(type: T, payload: MutationPayload<T>) =>
    expect(MutateAck.parse(await ask(socket, 'mutate', { id: newId(), type, payload, hlc: hlc() }))).toMatchObject({
      ok: true,
    });
  const incidentId = newId();
  await mutate('incident.open', { incidentId, title: '桥梁应变报警 Bridge strain', incidentType: 'fire', priority: 2 });
  for (const text of notes) await mutate('log.append', { entryId: newId(), incidentId, text });
  socket.close();
}

async function consoleOn(hub: Hub, dataDir: string): Promise<ConsoleHost> {
  const host = await startConsoleHost({
    dataDir,
    hubUrl: hub.url,
    token: await hub.issueToken({ role: 'supervisor', name: 'Grace Li', position: 'EOC Supervisor' }),
    reconnect: { delayMs: 50, maxDelayMs: 500, jitter: 0.5 },
  });
  cleanups.push(() => host.close());
  return host;
}

async function status(host: ConsoleHost): Promise<ConnectionStatus> {
  const r = await host.call('getStatus');
  if (!r.ok) throw new Error(r.error.message);
  return ConnectionStatus.parse(r.value);
}

const caughtUp = async (host: ConsoleHost, hub: Hub): Promise<ConnectionStatus> =>
  (await eventually(async () => {
    const s = await status(host);
    return s.cursor === hub.head() ? s : null;
  }))!;

describe('the console checks the hub chain', () => {
  it('an untouched hub raises no alarm', async () => {
    const hub = await openHub(dir('hub'));
    await writeLog(hub, ['第一条', 'second', 'third']);
    const host = await consoleOn(hub, dir('console'));
    const s = await caughtUp(host, hub);
    expect(s.integrity ?? null).toBeNull();
  });

  it('an entry edited in the hub SQLite raises a persistent alarm naming it', async () => {
    const hubDir = dir('hub');
    let hub = await openHub(hubDir);
    await writeLog(hub, ['水位正常', 'Pumps started at the underpass', '交接班：一切正常']);
    await hub.close();

    // Someone with the hub's disk rewrites what a log entry says, in the log consoles are served.
    const db = new Database(path.join(hubDir, 'hub.sqlite'));
    const row = db
      .prepare(
        "SELECT seq, json_extract(payload, '$.seq') AS logSeq, json_extract(payload, '$.id') AS id FROM events WHERE type = 'log.appended' AND json_extract(payload, '$.text') = 'Pumps started at the underpass'",
      )
      .get() as { seq: number; logSeq: number; id: string };
    db.prepare("UPDATE events SET payload = json_set(payload, '$.text', 'Pumps were never started') WHERE seq = ?").run(
      row.seq,
    );
    db.close();

    hub = await openHub(hubDir);
    const consoleDir = dir('console');
    let host = await consoleOn(hub, consoleDir);
    const s = await caughtUp(host, hub);
    expect(s.integrity).toMatchObject({ seq: row.logSeq, entryId: row.id, reason: 'edited' });

    // entries after it keep coming and the alarm stays on the first bad one, across a restart
    await writeLog(hub, ['after the break']);
    await host.close();
    host = await consoleOn(hub, consoleDir);
    const again = await caughtUp(host, hub);
    expect(again.integrity).toMatchObject({ seq: row.logSeq, entryId: row.id, reason: 'edited' });
  });

  it('an edited entry re-sealed with its own hashes is found at the next link', async () => {
    const hubDir = dir('hub');
    let hub = await openHub(hubDir);
    await writeLog(hub, ['one', 'two', 'three']);
    await hub.close();
    // The attacker edits "two" and recomputes its hash and chain hash: the entry checks, the link after it does not.
    const db = new Database(path.join(hubDir, 'hub.sqlite'));
    const rows = db.prepare("SELECT seq, payload FROM events WHERE type = 'log.appended' ORDER BY seq").all() as {
      seq: number;
      payload: string;
    }[];
    const victim = rows.find((r) => (JSON.parse(r.payload) as { text: string }).text === 'two')!;
    const next = JSON.parse(rows[rows.indexOf(victim) + 1]!.payload) as { seq: number; id: string };
    const edited: Record<string, unknown> = { ...(JSON.parse(victim.payload) as object), text: 'two (rewritten)' };
    const prevHash = String(edited['prevHash']);
    const resealed = { ...edited, ...chainFields(nodeSha256, prevHash, edited) };
    db.prepare('UPDATE events SET payload = ? WHERE seq = ?').run(JSON.stringify(resealed), victim.seq);
    db.close();
    hub = await openHub(hubDir);
    const host = await consoleOn(hub, dir('console'));
    const s = await caughtUp(host, hub);
    expect(s.integrity).toMatchObject({ seq: next.seq, entryId: next.id, reason: 'relinked' });
  });
});

describe('replica migration 0007', () => {
  it('creates chain_watch with its one row, no link checked and no alarm', () => {
    const file = path.join(dir('migration'), 'replica.sqlite');
    const db = openReplicaDb({ file });
    expect(db.prepare('SELECT id, last_seq, last_chain, alarm FROM chain_watch').all()).toEqual([
      { id: 1, last_seq: null, last_chain: null, alarm: null },
    ]);
    expect(() => db.prepare("UPDATE chain_watch SET alarm = 'not json' WHERE id = 1").run()).toThrow();
    db.close();
  });
});
