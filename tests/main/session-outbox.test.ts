import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { invokeChannels } from '../../shared/api';
import type { HubEvent } from '../../shared/domain/events';
import { SessionState } from '../../shared/domain/officer';
import type { Result } from '../../shared/errors';
import { systemClock } from '../../shared/clock';
import { startHub, type Hub } from '../../hub/server';
import { HubStore } from '../../hub/store/hubStore';
import { startSessionHost, type SessionHost } from '../../main/console/sessionHost';
import { SessionCache } from '../../main/console/sessionCache';
import type { OutboxRow } from '../../main/replica/replica';
import { tempDir } from '../hub/helpers';

/**
 * Actions still in the outbox when their officer signs out reach the hub in that officer's
 * name (issue 6, decision 0036), with a real hub on 127.0.0.1 and the real replica worker:
 * Ada acts while the hub is down and signs out, Ben signs in from the cache, the hub comes
 * back, and the hub records Ada's action as Ada's and Ben's as Ben's. The departing token and
 * the pending sign-out are kept only sealed under the replica key (no readable token in
 * session.json); without that key they live in memory, and after a restart Ada's action is
 * refused at the console rather than sent in Ben's name.
 */

const ADA = { name: 'Ada Okafor', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };
const BEN = { name: 'Ben Ito', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };

let hubDir: ReturnType<typeof tempDir>;
let hub: Hub | null = null;
let port = 0;
const hosts: SessionHost[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];

async function openHub(): Promise<void> {
  hub = await startHub({ dataDir: hubDir.dir, port });
  port = hub.port;
}

async function stopHub(): Promise<void> {
  await hub?.close();
  hub = null;
}

async function openConsole(dir: string, replicaKey?: Uint8Array): Promise<SessionHost> {
  const host = await startSessionHost({
    dataDir: dir,
    hubUrl: `http://127.0.0.1:${port}`,
    recheckMs: 60_000, // re-checked by hand
    hubTimeoutMs: 10_000, // a loaded machine answers a sign-in (scrypt) slowly; a stopped hub refuses at once
    reconnect: { delayMs: 50, maxDelayMs: 200, jitter: 0 },
    ...(replicaKey ? { replicaKey } : {}),
  });
  hosts.push(host);
  return host;
}

async function close(host: SessionHost): Promise<void> {
  hosts.splice(hosts.indexOf(host), 1);
  await host.close();
}

const session = async (host: SessionHost, name: 'signIn' | 'signOut', args: unknown): Promise<SessionState> => {
  const r = (await host.invoke(invokeChannels[name].name, args)) as Result<SessionState>;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return SessionState.parse(r.value);
};

async function openIncident(host: SessionHost, title: string): Promise<void> {
  const r = await host.invoke(invokeChannels.openIncident.name, { title, incidentType: 'flooding', priority: 2 });
  expect(r).toMatchObject({ ok: true });
}

async function outbox(host: SessionHost): Promise<OutboxRow[]> {
  const r = await host.call('getOutbox');
  if (!r.ok) throw new Error(r.error.message);
  return r.value as OutboxRow[];
}

/** The hub's log, read from its store file (as the export does). */
function hubLog(): HubEvent[] {
  const store = HubStore.open(join(hubDir.dir, 'hub.sqlite'), systemClock);
  try {
    return store.read(0, 100_000);
  } finally {
    store.close();
  }
}

const openedBy = (title: string): string | undefined =>
  hubLog()
    .flatMap((e) => (e.type === 'incident.opened' ? [e.payload.incident] : []))
    .find((i) => i.title === title)?.openedBy.name;

const audits = (): string[] =>
  hubLog().flatMap((e) => (e.type === 'audit.recorded' ? [`${e.payload.audit.kind}:${e.payload.author}`] : []));

/** No JWT (base64url JSON header "eyJ…") and no name of a signed-out officer in clear. */
const readable = (dir: string): string => readFileSync(join(dir, 'session.json'), 'utf8');

beforeAll(async () => {
  hubDir = tempDir('watchfloor-outbox-hub-');
  await openHub();
  hub!.roster.put(ADA, 'ada-password-1');
  hub!.roster.put(BEN, 'ben-password-1');
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
  if (!hub) await openHub();
});

afterAll(async () => {
  await stopHub();
  hubDir.remove();
  for (const d of dirs) d.remove();
});

describe('actions pending at sign-out', () => {
  it('Ada acts offline and signs out, Ben signs in from the cache, the hub comes back: Ada’s action is recorded as Ada’s', async () => {
    const dir = tempDir('watchfloor-outbox-');
    dirs.push(dir);
    const key = randomBytes(32);
    let host = await openConsole(dir.dir, key);
    await session(host, 'signIn', { name: 'Ben Ito', password: 'ben-password-1' }); // Ben has signed in here before
    await session(host, 'signOut', {});
    await session(host, 'signIn', { name: 'Ada Okafor', password: 'ada-password-1' });

    await stopHub();
    await openIncident(host, 'Culvert blocked at Hald Lane (Ada)');
    expect((await outbox(host)).map((r) => [r.officer, r.state])).toEqual([['ada okafor', 'pending']]);
    const out = await session(host, 'signOut', { handover: { note: 'Culvert incident not yet on the hub.' } });
    expect(out.pendingSignOuts).toBe(1);

    // Ada's token is kept, for her pending sign-out and her pending action, but never readable
    const file = readable(dir.dir);
    expect(file).not.toMatch(/eyJ/);
    expect(JSON.parse(file)).toMatchObject({ pendingSignOuts: [], tokens: { sealed: expect.any(String) } });

    // a restart keeps both (sealed under the replica key)
    await close(host);
    host = await openConsole(dir.dir, key);
    expect(host.session().pendingSignOuts).toBe(1);

    const ben = await session(host, 'signIn', { name: 'Ben Ito', password: 'ben-password-1' });
    expect(ben).toMatchObject({ via: 'cache', handover: { note: 'Culvert incident not yet on the hub.' } });
    await openIncident(host, 'Tree down on Quay Road (Ben)');

    await openHub();
    await expect
      .poll(async () => (await outbox(host)).map((r) => r.state), { timeout: 20_000 })
      .toEqual(['confirmed', 'confirmed']);
    expect(openedBy('Culvert blocked at Hald Lane (Ada)')).toBe('Ada Okafor');
    expect(openedBy('Tree down on Quay Road (Ben)')).toBe('Ben Ito');

    await host.recheck(); // Ben confirmed by the hub: Ada's pending sign-out is delivered under her token
    await expect.poll(() => host.session().pendingSignOuts).toBe(0);
    expect(audits()).toEqual(expect.arrayContaining(['sign-out:Ada Okafor', 'handover:Ada Okafor']));
    expect(audits()).not.toContain('refused:Ben Ito');
  });

  it('without a replica key nothing with a token is written; after a restart Ada’s action is refused here, not sent as Ben’s', async () => {
    const dir = tempDir('watchfloor-outbox-plain-');
    dirs.push(dir);
    let host = await openConsole(dir.dir);
    await session(host, 'signIn', { name: 'Ben Ito', password: 'ben-password-1' });
    await session(host, 'signOut', {});
    await session(host, 'signIn', { name: 'Ada Okafor', password: 'ada-password-1' });
    await stopHub();
    await openIncident(host, 'Gauge offline at Weir 3 (Ada)');
    expect((await session(host, 'signOut', {})).pendingSignOuts).toBe(1);
    expect(readable(dir.dir)).not.toMatch(/eyJ/);
    expect(JSON.parse(readable(dir.dir))).toMatchObject({ pendingSignOuts: [], tokens: null });

    await close(host); // memory only: Ada's token is gone with it
    host = await openConsole(dir.dir);
    expect(host.session().pendingSignOuts).toBe(0);
    await session(host, 'signIn', { name: 'Ben Ito', password: 'ben-password-1' });
    await openHub();
    await expect.poll(async () => (await outbox(host))[0]?.state, { timeout: 20_000 }).toBe('rejected');
    const [row] = await outbox(host);
    expect(row).toMatchObject({
      officer: 'ada okafor',
      error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/made by ada okafor.*not sent/) },
    });
    expect(openedBy('Gauge offline at Weir 3 (Ada)')).toBeUndefined();
    // Ben sees it among the refused actions, with the reason
    const attention = await host.invoke(invokeChannels.getNeedsAttention.name, undefined);
    expect(attention).toMatchObject({
      ok: true,
      value: [{ type: 'incident.open', error: { code: 'UNAUTHORIZED' } }],
    });
  });

  it('a cache written before the tokens were sealed moves its clear sign-outs into the sealed box', () => {
    const dir = tempDir('watchfloor-outbox-legacy-');
    dirs.push(dir);
    const request = { consoleId: 'c-1', at: '2026-03-14T21:00:00.000Z' };
    writeFileSync(
      join(dir.dir, 'session.json'),
      JSON.stringify({
        version: 1,
        consoleId: 'c-1',
        credentials: [],
        lastHandover: null,
        pendingSignOuts: [{ token: 'eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiQWRhIn0.sig', request }],
      }),
    );
    const key = randomBytes(32);
    const cache = new SessionCache(dir.dir, key);
    expect(cache.pendingSignOuts).toHaveLength(1);
    expect(readable(dir.dir)).not.toMatch(/eyJ/);
    expect(new SessionCache(dir.dir, key).pendingSignOuts).toEqual([
      { token: 'eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiQWRhIn0.sig', request },
    ]);
    // another key (a new replica key) cannot open the box: nothing is delivered with it
    expect(new SessionCache(dir.dir, randomBytes(32)).pendingSignOuts).toEqual([]);
  });
});
