import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { invokeChannels } from '../../shared/api';
import type { HubEvent } from '../../shared/domain/events';
import { SessionState } from '../../shared/domain/officer';
import type { Result } from '../../shared/errors';
import { startHub, type Hub } from '../../hub/server';
import { HubStore } from '../../hub/store/hubStore';
import { systemClock } from '../../shared/clock';
import { startSessionHost, type SessionHost } from '../../main/console/sessionHost';
import { tempDir } from '../hub/helpers';

/**
 * Signing in at a console (issue 6) against a real hub on 127.0.0.1, with the real replica
 * worker started on sign-in: online, offline with the cached credential (the hub stopped),
 * the re-check when the hub is back, and the handover note across officers.
 */

const ADA = { name: 'Ada Okafor', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };
const BEN = {
  name: 'Ben Ito',
  position: 'Duty Officer',
  agency: 'Port Halden Fire & Rescue',
  role: 'officer' as const,
};
const MARA = { name: 'Mara Quist', position: 'EOC Supervisor', agency: 'Port Halden EOC', role: 'supervisor' as const };

let hubDir: ReturnType<typeof tempDir>;
let hub: Hub | null = null;
let port = 0;
const hosts: SessionHost[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];

async function openHub(): Promise<Hub> {
  hub = await startHub({ dataDir: hubDir.dir, port });
  port = hub.port;
  return hub;
}

async function stopHub(): Promise<void> {
  await hub?.close();
  hub = null;
}

async function openConsole(extra: { token?: string } = {}): Promise<SessionHost> {
  const dir = tempDir('watchfloor-session-');
  dirs.push(dir);
  const host = await startSessionHost({
    dataDir: dir.dir,
    hubUrl: `http://127.0.0.1:${port}`,
    recheckMs: 60_000, // tests re-check by hand
    hubTimeoutMs: 10_000, // a loaded machine answers a sign-in (scrypt) slowly; a stopped hub refuses at once
    reconnect: { delayMs: 50, maxDelayMs: 200, jitter: 0 },
    ...extra,
  });
  hosts.push(host);
  return host;
}

const invoke = (host: SessionHost, name: 'getSession' | 'signIn' | 'signOut', args?: unknown) =>
  host.invoke(invokeChannels[name].name, args) as Promise<Result<SessionState>>;

const value = (r: Result<SessionState>): SessionState => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return SessionState.parse(r.value);
};

/** The hub's audit entries, read from its store file (as the export does). */
function auditKinds(): string[] {
  const store = HubStore.open(join(hubDir.dir, 'hub.sqlite'), systemClock);
  try {
    return store
      .read(0, 100_000)
      .flatMap((e: HubEvent) => (e.type === 'audit.recorded' ? [`${e.payload.audit.kind}:${e.payload.author}`] : []));
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  hubDir = tempDir('watchfloor-session-hub-');
  await openHub();
  hub!.roster.put(ADA, 'ada-password-1');
  hub!.roster.put(BEN, 'ben-password-1');
  hub!.roster.put(MARA, 'mara-password-1');
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

describe('console sign-in', () => {
  it('starts signed out: data operations are refused until an officer signs in', async () => {
    const host = await openConsole();
    expect(value(await invoke(host, 'getSession'))).toMatchObject({ officer: null, via: null });
    expect(await host.invoke(invokeChannels.getSnapshot.name, undefined)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
  });

  it('signs in with the hub (role, position, agency), then out with a handover note the next officer gets', async () => {
    const host = await openConsole();
    const ada = value(await invoke(host, 'signIn', { name: 'Ada Okafor', password: 'ada-password-1' }));
    expect(ada).toMatchObject({ via: 'hub', officer: ADA, handover: null });
    expect(await host.invoke(invokeChannels.getSnapshot.name, undefined)).toMatchObject({ ok: true });
    expect(await invoke(host, 'signIn', { name: 'Ben Ito', password: 'ben-password-1' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    const handover = { note: 'INC-0001 open; watch the Hald gauge.', openIncidents: ['INC-0001'], pendingActions: 0 };
    const out = value(await invoke(host, 'signOut', { handover }));
    expect(out).toMatchObject({
      officer: null,
      pendingSignOuts: 0,
      handover: { ...handover, from: { name: 'Ada Okafor' } },
    });
    expect(out.handover?.logSeq).toEqual(expect.any(Number));
    const ben = value(await invoke(host, 'signIn', { name: 'ben ito', password: 'ben-password-1' }));
    expect(ben).toMatchObject({ via: 'hub', officer: { name: 'Ben Ito' }, handover: { note: handover.note } });
    expect(auditKinds()).toEqual(
      expect.arrayContaining(['sign-in:Ada Okafor', 'sign-out:Ada Okafor', 'handover:Ada Okafor', 'sign-in:Ben Ito']),
    );
  });

  it('refuses bad credentials with the hub’s code, and counts them', async () => {
    const host = await openConsole();
    expect(await invoke(host, 'signIn', { name: 'Ada Okafor', password: 'wrong-password' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    expect(await invoke(host, 'signIn', { name: '', password: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(host.sessionStats().refused).toEqual({ UNAUTHORIZED: 1 });
  });

  it('offline: signs in only with the right cached password; re-checked with the hub when it is back', async () => {
    const host = await openConsole();
    value(await invoke(host, 'signIn', { name: 'Mara Quist', password: 'mara-password-1' }));
    value(await invoke(host, 'signOut', { handover: { note: 'Quiet night.' } }));
    // the sealed credential is on disk; the password is not
    const cached = readFileSync(join(dirs.at(-1)!.dir, 'session.json'), 'utf8');
    expect(cached).not.toContain('mara-password-1');
    expect(JSON.stringify((JSON.parse(cached) as { credentials: unknown[] }).credentials)).not.toMatch(
      /supervisor|Mara|eyJ/, // role, name and token are inside the sealed part
    );
    await stopHub();

    expect(await invoke(host, 'signIn', { name: 'Mara Quist', password: 'not-maras-pw' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/cannot be reached/) },
    });
    expect(await invoke(host, 'signIn', { name: 'Ben Ito', password: 'ben-password-1' })).toMatchObject({
      ok: false,
      error: { code: 'OFFLINE', message: expect.stringMatching(/has not signed in at this console before/) },
    });
    const offline = value(await invoke(host, 'signIn', { name: 'Mara Quist', password: 'mara-password-1' }));
    expect(offline).toMatchObject({ via: 'cache', officer: { name: 'Mara Quist', role: 'supervisor' } });
    expect(offline.handover).toMatchObject({ note: 'Quiet night.' });
    expect(host.sessionStats()).toMatchObject({ offlineSignIns: 1, refused: { UNAUTHORIZED: 1, OFFLINE: 1 } });
    // the console works offline under the cached role
    expect(await host.invoke(invokeChannels.getSnapshot.name, undefined)).toMatchObject({ ok: true });

    await host.recheck(); // still away: stays signed in from the cache
    expect(host.session().via).toBe('cache');

    await openHub();
    hub!.roster.put({ ...MARA, role: 'officer', position: 'Duty Officer' }, 'mara-password-1'); // demoted meanwhile
    await host.recheck();
    expect(host.session()).toMatchObject({ via: 'hub', officer: { name: 'Mara Quist', role: 'officer' } });
    hub!.roster.put(MARA, 'mara-password-1');
  });

  it('offline: a removed officer is signed out by the re-check, with the hub’s reason', async () => {
    hub!.roster.put({ ...BEN, name: 'Cai Lun' }, 'cai-password-1');
    const host = await openConsole();
    value(await invoke(host, 'signIn', { name: 'Cai Lun', password: 'cai-password-1' }));
    value(await invoke(host, 'signOut', {}));
    await stopHub();
    value(await invoke(host, 'signIn', { name: 'Cai Lun', password: 'cai-password-1' }));
    await openHub();
    hub!.roster.remove('Cai Lun');
    await host.recheck();
    expect(host.session()).toMatchObject({ officer: null, notice: { code: 'UNAUTHORIZED' } });
    await stopHub();
    // the credential was forgotten: no offline sign-in with it any more
    expect(await invoke(host, 'signIn', { name: 'Cai Lun', password: 'cai-password-1' })).toMatchObject({
      ok: false,
      error: { code: 'OFFLINE' },
    });
  });

  it('a sign-out made offline keeps its handover note and delivers it at the next sign-in with the hub', async () => {
    const host = await openConsole();
    value(await invoke(host, 'signIn', { name: 'Ben Ito', password: 'ben-password-1' }));
    await stopHub();
    const out = value(await invoke(host, 'signOut', { handover: { note: 'Written while the hub was down.' } }));
    expect(out).toMatchObject({ pendingSignOuts: 1, handover: { logSeq: null } });
    await openHub();
    const ada = value(await invoke(host, 'signIn', { name: 'Ada Okafor', password: 'ada-password-1' }));
    expect(ada.handover).toMatchObject({ note: 'Written while the hub was down.', from: { name: 'Ben Ito' } });
    await expect.poll(() => host.session().pendingSignOuts).toBe(0);
    expect(host.session().handover?.logSeq ?? null).toBe(null); // the note shown was taken before delivery
    expect(auditKinds()).toEqual(expect.arrayContaining(['handover:Ben Ito']));
  });

  it('an operation asked while the signed-in officer’s worker is still starting waits for it, not refused', async () => {
    const host = await openConsole();
    const signingIn = invoke(host, 'signIn', { name: 'Ada Okafor', password: 'ada-password-1' });
    // the renderer polls getSession and mounts the console as soon as it names the officer
    while (!value(await invoke(host, 'getSession')).officer) await new Promise((r) => setTimeout(r, 5));
    expect(await host.invoke(invokeChannels.getSnapshot.name, undefined)).toMatchObject({ ok: true });
    value(await signingIn);
  });

  it('started with --token: signed in from the start, as before', async () => {
    const token = await hub!.issueToken({ role: 'officer', name: 'Officer Token', position: 'Duty Officer' });
    const host = await openConsole({ token });
    expect(value(await invoke(host, 'getSession'))).toMatchObject({
      via: 'token',
      officer: { name: 'Officer Token', role: 'officer', position: 'Duty Officer' },
    });
    expect(await host.invoke(invokeChannels.getSnapshot.name, undefined)).toMatchObject({ ok: true });
  });
});
