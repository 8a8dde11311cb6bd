import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, HubEvent } from '../../shared/domain/events';
import { SignInAnswer } from '../../shared/domain/officer';
import { newId } from '../../shared/ids';
import { MutateAck, PROTOCOL_SCHEMA, PullAck } from '../../shared/protocol';
import { startHub, type Hub } from '../../hub/server';
import { ask, connect, hlc, tempDir } from './helpers';

/**
 * An action is recorded in the name of the officer who made it (issue 6, decision 0036), on a
 * real hub over Socket.IO: Ben's console delivers an action Ada left in its outbox with Ada's
 * own token (`asToken`) and the hub records Ada; an action naming Ada as its author but sent
 * under Ben's token alone is refused FORBIDDEN and audited; a bad or stale `asToken` is refused
 * UNAUTHORIZED and appends nothing.
 */

const ADA = { name: 'Ada Okafor', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };
const BEN = { name: 'Ben Ito', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };
const CAI = { name: 'Cai Lun', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };
const DEE = { name: 'Dee Park', position: 'Duty Officer', agency: 'Port Halden EOC', role: 'officer' as const };

let dir: ReturnType<typeof tempDir>;
let hub: Hub;
let ben: Socket;

async function tokenOf(name: string, password: string): Promise<string> {
  const res = await fetch(`${hub.url}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  expect(res.status).toBe(200);
  return SignInAnswer.parse(await res.json()).token;
}

const openIncident = (title: string, extra: Record<string, unknown> = {}) => ({
  id: newId(),
  type: 'incident.open',
  payload: { incidentId: newId(), title, incidentType: 'flooding', priority: 2 },
  hlc: hlc(),
  ...extra,
});

async function send(request: unknown) {
  return MutateAck.parse(await ask(ben, 'mutate', request));
}

async function entriesAfter(after: number): Promise<HubEvent[]> {
  return PullAck.parse(await ask(ben, 'pull', { after, limit: 10_000 })).events;
}

const opened = (list: HubEvent[]) => list.flatMap((e) => (e.type === 'incident.opened' ? [e.payload.incident] : []));
const audits = (list: HubEvent[]): AuditEntry[] =>
  list.flatMap((e) => (e.type === 'audit.recorded' ? [e.payload] : []));

beforeAll(async () => {
  dir = tempDir('watchfloor-author-');
  hub = await startHub({ dataDir: dir.dir, port: 0 });
  hub.roster.put(ADA, 'ada-password-1');
  hub.roster.put(BEN, 'ben-password-1');
  hub.roster.put(CAI, 'cai-password-1');
  hub.roster.put(DEE, 'dee-password-1');
  ben = await connect(hub.url, { token: await tokenOf('Ben Ito', 'ben-password-1') });
  await ask(ben, 'hello', { consoleId: 'console-b', cursor: 0, schema: PROTOCOL_SCHEMA });
});

afterAll(async () => {
  ben?.close();
  await hub?.close();
  dir?.remove();
});

describe('the author of an action', () => {
  it('an action Ada left in the outbox, sent on Ben’s connection with Ada’s token, is recorded as Ada’s', async () => {
    const head = hub.head();
    const ada = await tokenOf('Ada Okafor', 'ada-password-1');
    const ack = await send(openIncident('Left by Ada', { author: 'ada okafor', asToken: ada }));
    expect(ack).toMatchObject({ ok: true });
    const [incident] = opened(await entriesAfter(head));
    expect(incident?.openedBy).toMatchObject({ name: 'Ada Okafor', role: 'officer', consoleId: 'console-b' });
  });

  it('Ben’s own action names Ben, or nobody, and is recorded as Ben’s as before', async () => {
    const head = hub.head();
    expect(await send(openIncident('By Ben', { author: 'ben ito' }))).toMatchObject({ ok: true });
    expect(await send(openIncident('By an older console'))).toMatchObject({ ok: true });
    // the author is compared as a name key, whatever its case
    expect(await send(openIncident('By Ben, named as on the roster', { author: 'Ben Ito' }))).toMatchObject({
      ok: true,
    });
    expect(opened(await entriesAfter(head)).map((i) => i.openedBy.name)).toEqual(['Ben Ito', 'Ben Ito', 'Ben Ito']);
  });

  it('an action naming Ada but sent under Ben’s token alone is refused FORBIDDEN and audited', async () => {
    const head = hub.head();
    const request = openIncident('Ada’s, under Ben’s name', { author: 'ada okafor' });
    const ack = await send(request);
    expect(ack).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/made by ada okafor but sent under Ben Ito's token/) },
    });
    const after = await entriesAfter(head);
    expect(opened(after)).toEqual([]);
    expect(audits(after)).toEqual([
      expect.objectContaining({
        author: 'Ben Ito',
        audit: expect.objectContaining({ kind: 'refused', detail: expect.stringContaining(request.id) }),
      }),
    ]);
    // not remembered: the same id with Ada's token is then accepted
    const again = await send({ ...request, asToken: await tokenOf('Ada Okafor', 'ada-password-1') });
    expect(again).toMatchObject({ ok: true });
  });

  it('an action already recorded under its asToken, sent again once that token is stale, gets its first answer', async () => {
    const dee = await tokenOf('Dee Park', 'dee-password-1');
    const request = openIncident('Left by Dee', { author: 'dee park', asToken: dee });
    const first = await send(request);
    expect(first).toMatchObject({ ok: true });
    hub.roster.remove('Dee Park'); // the first answer was lost; Dee is off the roster before the resend
    const head = hub.head();
    expect(await send(request)).toEqual(first);
    expect(hub.head()).toBe(head);
    // a new action under the same stale token is still refused
    expect(await send(openIncident('New from Dee', { author: 'dee park', asToken: dee }))).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
  });

  it('a forged, foreign or stale asToken is refused UNAUTHORIZED and appends nothing', async () => {
    const cai = await tokenOf('Cai Lun', 'cai-password-1');
    const other = tempDir('watchfloor-author-other-');
    const otherHub = await startHub({ dataDir: other.dir, port: 0 });
    let foreign: string;
    try {
      foreign = await otherHub.issueToken({ role: 'officer', name: 'Ada Okafor' });
    } finally {
      await otherHub.close();
      other.remove();
    }
    hub.roster.remove('Cai Lun'); // taken off the roster after signing out with actions pending
    const head = hub.head();
    const refusedBefore = hub.metrics().errors.UNAUTHORIZED;
    for (const asToken of ['not-a-token', foreign, cai]) {
      const ack = await send(openIncident('Should not open', { asToken }));
      expect(ack).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    expect(hub.head()).toBe(head);
    expect(hub.metrics().errors.UNAUTHORIZED - refusedBefore).toBe(3); // counted
  });
});
