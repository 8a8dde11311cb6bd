import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import { HubEvent, type AuditEntry } from '../../shared/domain/events';
import type { MutationPayload, MutationType } from '../../shared/domain/mutations';
import { SignInAnswer } from '../../shared/domain/officer';
import { newId } from '../../shared/ids';
import { HelloAck, MutateAck, PullAck, PROTOCOL_SCHEMA } from '../../shared/protocol';
import { exportLog } from '../../hub/audit/exportLog';
import { verifyExportFile } from '../../hub/audit/verifyExport';
import { recordAudit } from '../../hub/auditTrail';
import { checkPassword, hashPassword } from '../../hub/roster';
import { startHub, type Hub } from '../../hub/server';
import { ask, connect, consoleFor, hlc, tempDir } from './helpers';

/**
 * Roles and sign-in on a real hub over HTTP and Socket.IO (issue 6): each supervisor-only
 * action refused for an officer with its code and allowed for a supervisor; refusals and
 * sign-ins are audit entries on the chain, and the whole log still verifies.
 */

const START = Date.parse('2026-03-14T21:00:00Z');
const clock = new ManualClock(START);
let dir: ReturnType<typeof tempDir>;
let hub: Hub;
let ada: Socket; // officer, rostered
let mara: Socket; // supervisor, rostered

const ADA = { name: 'Ada Okafor', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };
const MARA = { name: 'Mara Quist', position: 'EOC Supervisor', agency: 'Port Halden EOC', role: 'supervisor' as const };
const BEN = {
  name: 'Ben Ito',
  position: 'Duty Officer',
  agency: 'Port Halden Fire & Rescue',
  role: 'officer' as const,
};

type Answer = { error: { code: string; message: string }; [key: string]: unknown };

async function post(path: string, body: unknown, token?: string): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

async function signIn(name: string, password: string, consoleId?: string) {
  return post('/session', { name, password, ...(consoleId ? { consoleId } : {}) });
}

async function signedInSocket(name: string, password: string): Promise<{ socket: Socket; answer: SignInAnswer }> {
  const r = await signIn(name, password);
  expect(r.status).toBe(200);
  const answer = SignInAnswer.parse(r.body);
  const socket = await connect(hub.url, { token: answer.token });
  return { socket, answer };
}

async function mutate<T extends MutationType>(s: Socket, type: T, payload: MutationPayload<T>) {
  return MutateAck.parse(await ask(s, 'mutate', { id: newId(), type, payload, hlc: hlc() }));
}

async function events(after: number): Promise<HubEvent[]> {
  return PullAck.parse(await ask(ada, 'pull', { after, limit: 10_000 })).events;
}

const audits = (list: HubEvent[]): AuditEntry[] =>
  list.flatMap((e) => (e.type === 'audit.recorded' ? [e.payload] : []));

async function openIncident(s: Socket, title: string, extra: Partial<MutationPayload<'incident.open'>> = {}) {
  const incidentId = newId();
  expect(
    await mutate(s, 'incident.open', { incidentId, title, incidentType: 'flooding', priority: 2, ...extra }),
  ).toMatchObject({ ok: true });
  return incidentId;
}

beforeAll(async () => {
  dir = tempDir('watchfloor-roles-');
  hub = await startHub({ dataDir: dir.dir, port: 0, clock });
  hub.roster.put(ADA, 'ada-password-1');
  hub.roster.put(MARA, 'mara-password-1');
  hub.roster.put(BEN, 'ben-password-1');
  ada = (await signedInSocket('Ada Okafor', 'ada-password-1')).socket;
  mara = (await signedInSocket('mara quist', 'mara-password-1')).socket; // names are case-insensitive
});

afterAll(async () => {
  ada?.close();
  mara?.close();
  await hub?.close();
  dir?.remove();
});

describe('the roster', () => {
  it('keeps an scrypt verifier, never the password', async () => {
    const stored = hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain('correct');
    expect(await checkPassword('correct horse', stored)).toBe(true);
    expect(await checkPassword('correct horsE', stored)).toBe(false);
    expect(hashPassword('correct horse')).not.toBe(stored); // salted
  });

  it('refuses a password shorter than 8 characters', () => {
    expect(() => hub.roster.put({ ...BEN, name: 'Short Pw' }, 'short')).toThrow(/at least 8/);
  });
});

describe('signing in', () => {
  it('issues a shift token naming the officer, role, position and agency; hello says who it is', async () => {
    const head = hub.head();
    const r = await signIn('Ada Okafor', 'ada-password-1', 'console-a');
    expect(r.status).toBe(200);
    const answer = SignInAnswer.parse(r.body);
    expect(answer.officer).toEqual({
      name: 'Ada Okafor',
      role: 'officer',
      position: 'Duty Officer',
      agency: 'Port Halden EOC',
    });
    expect(Date.parse(answer.expiresAt) - START).toBe(12 * 3_600_000);
    const s = await connect(hub.url, { token: answer.token });
    try {
      const hello = HelloAck.parse(
        await ask(s, 'hello', { consoleId: 'console-a', cursor: 0, schema: PROTOCOL_SCHEMA }),
      );
      expect(hello.officer).toMatchObject({ name: 'Ada Okafor', role: 'officer' });
    } finally {
      s.close();
    }
    const [entry] = audits(await events(head));
    expect(entry).toMatchObject({
      action: 'audit.sign-in',
      author: 'Ada Okafor',
      audit: { kind: 'sign-in', officer: { name: 'Ada Okafor', role: 'officer', consoleId: 'console-a' } },
    });
  });

  it('refuses a wrong password or an unknown name with UNAUTHORIZED, counted and audited', async () => {
    const before = hub.metrics();
    const head = hub.head();
    const wrong = await signIn('Ben Ito', 'not-his-password');
    const unknown = await signIn('Nobody Here', 'whatever-1');
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHORIZED');
      expect(r.body.error.message).toMatch(/name or the password is wrong/);
      expect(r.body.token).toBeUndefined();
    }
    const after = hub.metrics();
    expect(after.errors.UNAUTHORIZED - before.errors.UNAUTHORIZED).toBe(2);
    expect(after.sessions.refused - before.sessions.refused).toBe(2);
    expect(audits(await events(head)).map((a) => a.audit.kind)).toEqual(['sign-in-refused', 'sign-in-refused']);
    hub.roster.put(BEN, 'ben-password-1'); // (a success below clears Ben's count)
    expect((await signIn('Ben Ito', 'ben-password-1')).status).toBe(200);
  });

  it('refuses malformed bodies with BAD_REQUEST and changes nothing', async () => {
    const head = hub.head();
    for (const body of ['not json', { name: 'Ada Okafor' }, { name: '', password: 'x' }, 'x'.repeat(20_000)]) {
      const r = await post('/session', body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
    }
    expect(hub.head()).toBe(head);
  });

  it('locks a name after 5 failures in a row (RATE_LIMITED, even with the right password) and frees it later', async () => {
    hub.roster.put({ ...BEN, name: 'Cai Lun' }, 'cai-password-1');
    for (let i = 0; i < 5; i++) expect((await signIn('Cai Lun', `guess-${i}-xx`)).status).toBe(401);
    const before = hub.metrics();
    const locked = await signIn('Cai Lun', 'cai-password-1');
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/wait \d+ s/) });
    expect(hub.metrics().sessions.rateLimited - before.sessions.rateLimited).toBe(1);
    expect(hub.metrics().errors.RATE_LIMITED - before.errors.RATE_LIMITED).toBe(1);
    clock.advance(31_000);
    expect((await signIn('Cai Lun', 'cai-password-1')).status).toBe(200);
  });

  it('re-checks a sign-in token against the roster on connect: removed or re-roled officers sign in again', async () => {
    hub.roster.put({ ...BEN, name: 'Dee Park' }, 'dee-password-1');
    const { answer } = await signedInSocket('Dee Park', 'dee-password-1').then((x) => {
      x.socket.close();
      return x;
    });
    hub.roster.put({ ...BEN, name: 'Dee Park', role: 'supervisor' }, 'dee-password-1');
    await expect(connect(hub.url, { token: answer.token })).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED', message: expect.stringMatching(/now supervisor .* sign in again/) },
    });
    hub.roster.remove('Dee Park');
    await expect(connect(hub.url, { token: answer.token })).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED', message: expect.stringMatching(/no longer on this hub's roster/) },
    });
    expect((await signIn('Dee Park', 'dee-password-1')).status).toBe(401);
  });

  it('re-checks a supervisor’s token on GET /export: a demoted or removed supervisor exports no more', async () => {
    hub.roster.put({ ...MARA, name: 'Eva Holm' }, 'eva-password-1');
    const r = await signIn('Eva Holm', 'eva-password-1');
    expect(r.status).toBe(200);
    const { token } = SignInAnswer.parse(r.body);
    const exportWith = () => fetch(`${hub.url}/export?format=json`, { headers: { authorization: `Bearer ${token}` } });
    const allowed = await exportWith();
    expect(allowed.status).toBe(200);
    await allowed.arrayBuffer();
    hub.roster.put({ ...MARA, name: 'Eva Holm', role: 'officer' }, 'eva-password-1');
    const demoted = await exportWith();
    expect(demoted.status).toBe(401);
    expect(await demoted.json()).toMatchObject({
      error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/now officer .* sign in again/) },
    });
    hub.roster.remove('Eva Holm');
    const removed = await exportWith();
    expect(removed.status).toBe(401);
    expect(await removed.json()).toMatchObject({
      error: { message: expect.stringMatching(/no longer on this hub's roster/) },
    });
  });
});

describe('the hub enforces roles', () => {
  it('closing an incident: refused (FORBIDDEN) for an officer who does not command it, allowed for a supervisor', async () => {
    const id = await openIncident(mara, 'Underpass flooding'); // Mara commands it
    const head = hub.head();
    const refused = await mutate(ada, 'incident.setStatus', { incidentId: id, status: 'closed' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(refused.ok || refused.error.message).toMatch(
      /Only Mara Quist, who commands INC-\d{4}, or a supervisor may close it/,
    );
    const [entry, ...rest] = await events(head);
    expect(rest).toEqual([]); // only the audit event: the incident did not change
    expect(entry).toMatchObject({
      type: 'audit.recorded',
      payload: { incidentId: id, action: 'audit.refused', audit: { kind: 'refused', officer: { name: 'Ada Okafor' } } },
    });
    const supervisorId = await openIncident(ada, 'Fallen tree'); // Ada commands it
    expect(await mutate(mara, 'incident.setStatus', { incidentId: supervisorId, status: 'closed' })).toMatchObject({
      ok: true,
    });
  });

  it('the commander (an officer) may close their own incident', async () => {
    const id = await openIncident(ada, 'Blocked drain');
    expect(await mutate(ada, 'incident.setStatus', { incidentId: id, status: 'closed' })).toMatchObject({ ok: true });
  });

  it('handing over command: refused for an officer who does not command, allowed for the commander and a supervisor', async () => {
    const id = await openIncident(ada, 'Gas smell', { commanderName: 'Ben Ito' });
    expect(await mutate(ada, 'incident.update', { incidentId: id, commanderName: 'Ada Okafor' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await mutate(mara, 'incident.update', { incidentId: id, commanderName: 'Ada Okafor' })).toMatchObject({
      ok: true,
    });
    expect(await mutate(ada, 'incident.update', { incidentId: id, commanderName: 'Ben Ito' })).toMatchObject({
      ok: true,
    });
  });

  it('officers still triage, open, update and log (only the listed actions are supervisor-only)', async () => {
    const id = await openIncident(ada, 'Water main');
    expect(await mutate(ada, 'incident.update', { incidentId: id, priority: 1 })).toMatchObject({ ok: true });
    expect(await mutate(ada, 'log.append', { entryId: newId(), incidentId: id, text: 'Crew called' })).toMatchObject({
      ok: true,
    });
  });

  it('a feed token may not mutate (FORBIDDEN, audited) and may not sign out or open the audit view', async () => {
    const feed = await consoleFor(hub, 'feed', 'River gauge');
    try {
      const head = hub.head();
      expect(await mutate(feed, 'log.append', { entryId: newId(), incidentId: null, text: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(audits(await events(head))).toMatchObject([{ audit: { kind: 'refused', officer: { role: 'feed' } } }]);
    } finally {
      feed.close();
    }
    const token = await hub.issueToken({ role: 'feed', name: 'River gauge' });
    expect((await post('/session/end', {}, token)).body.error.code).toBe('FORBIDDEN');
  });

  it('the audit view: FORBIDDEN for an officer (audited), the audit entries and a verified chain for a supervisor', async () => {
    const officer = SignInAnswer.parse((await signIn('Ada Okafor', 'ada-password-1')).body);
    const supervisor = SignInAnswer.parse((await signIn('Mara Quist', 'mara-password-1')).body);
    const head = hub.head();
    const refused = await fetch(`${hub.url}/audit`, { headers: { authorization: `Bearer ${officer.token}` } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Answer).error).toMatchObject({ code: 'FORBIDDEN', message: /Only a supervisor/ });
    expect(audits(await events(head))).toMatchObject([{ audit: { kind: 'refused', detail: /audit.view/ } }]);
    const none = await fetch(`${hub.url}/audit`);
    expect(none.status).toBe(401);
    const res = await fetch(`${hub.url}/audit?limit=1000`, {
      headers: { authorization: `Bearer ${supervisor.token}` },
    });
    expect(res.status).toBe(200);
    const view = (await res.json()) as { entries: AuditEntry[]; chain: { ok: boolean; entries: number } };
    expect(view.chain.ok).toBe(true);
    const kinds = new Set(view.entries.map((e) => e.audit.kind));
    for (const k of ['sign-in', 'sign-in-refused', 'refused'] as const) expect(kinds.has(k)).toBe(true);
  });
});

describe('sign-out and handover', () => {
  it('logs the sign-out and the note as chained audit entries; the next sign-in at that console gets the note', async () => {
    const ada1 = SignInAnswer.parse((await signIn('Ada Okafor', 'ada-password-1', 'console-h')).body);
    const head = hub.head();
    const handover = {
      note: 'INC-0001 still open; watch the river gauge at Hald bridge.',
      openIncidents: ['INC-0001 Underpass flooding (open)'],
      pendingActions: 2,
    };
    const out = await post('/session/end', { consoleId: 'console-h', handover }, ada1.token);
    expect(out).toMatchObject({ status: 200, body: { ok: true, logSeq: expect.any(Number) } });
    expect(audits(await events(head))).toMatchObject([
      { audit: { kind: 'sign-out' }, text: /Ada Okafor signed out at console console-h/ },
      { audit: { kind: 'handover' }, text: /watch the river gauge/, seq: out.body.logSeq },
    ]);
    const ben = SignInAnswer.parse((await signIn('Ben Ito', 'ben-password-1', 'console-h')).body);
    expect(ben.handover).toMatchObject({
      ...handover,
      consoleId: 'console-h',
      from: { name: 'Ada Okafor', role: 'officer' },
      logSeq: out.body.logSeq,
    });
    expect(SignInAnswer.parse((await signIn('Ben Ito', 'ben-password-1', 'console-other')).body).handover).toBeNull();
    expect((await post('/session/end', { handover: { note: '' } }, ben.token)).status).toBe(400);
    expect((await post('/session/end', {}, 'not-a-token')).body.error.code).toBe('UNAUTHORIZED');
  });
});

describe('the chain', () => {
  it('sign-ins, refusals and handovers are in the whole-log export, and it verifies', async () => {
    const out = join(dir.dir, 'log.json');
    const summary = await exportLog({ hubData: dir.dir, format: 'json', out });
    expect(verifyExportFile(out)).toMatchObject({ ok: true, entries: summary.entries });
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { entries: { action: string | null }[] };
    const actions = new Set(exported.entries.map((e) => e.action));
    for (const a of ['audit.sign-in', 'audit.sign-in-refused', 'audit.refused', 'audit.sign-out', 'audit.handover'])
      expect(actions.has(a)).toBe(true);
  });
});

describe('recordAudit', () => {
  it('is an audit.recorded entry numbered after the newest log entry, linked to it', async () => {
    const { HubStore } = await import('../../hub/store/hubStore');
    const t = tempDir('watchfloor-record-');
    const store = HubStore.open(join(t.dir, 'hub.sqlite'), clock);
    try {
      const [a] = recordAudit(store, {
        kind: 'export',
        officer: { name: 'Mara Quist', role: 'supervisor', position: 'EOC Supervisor' },
        detail: 'Exported the whole activity log as JSON (0 entries).',
      });
      const [b] = recordAudit(store, {
        kind: 'export',
        officer: { name: 'Mara Quist', role: 'supervisor' },
        detail: 'Exported again.',
      });
      expect(a).toMatchObject({
        type: 'audit.recorded',
        payload: { seq: 1, action: 'audit.export', position: 'EOC Supervisor' },
      });
      expect(b).toMatchObject({ payload: { seq: 2 } });
      if (a?.type !== 'audit.recorded' || b?.type !== 'audit.recorded') throw new Error('not audit entries');
      expect(b.payload.prevHash).toBe(a.payload.chainHash);
      expect(HubEvent.parse(b)).toEqual(b);
    } finally {
      store.close();
      t.remove();
    }
  });
});
