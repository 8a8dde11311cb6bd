import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubEvent } from '../../shared/domain/events';
import type { MutationPayload } from '../../shared/domain/mutations';
import { newId } from '../../shared/ids';
import { MutateAck, PullAck } from '../../shared/protocol';
import { RuleSet } from '../../shared/telemetry/rules/schema';
import { exportLog } from '../../hub/audit/exportLog';
import { verifyExportFile } from '../../hub/audit/verifyExport';
import { startHub, type Hub } from '../../hub/server';
import { ask, connect, hlc, tempDir } from './helpers';

/**
 * Telemetry rules on the log (issue 9, decision 0034), on a real hub over Socket.IO: a duty
 * officer's edit is refused with FORBIDDEN and audited; a supervisor's is appended with what
 * it replaced and an ICS 214 entry on the hash chain; a rule set that fails the schema is
 * refused at the socket boundary and changes nothing.
 */

const bridge = RuleSet.parse(
  JSON.parse(readFileSync(join(__dirname, '../../assets/telemetry-rules/bridge.json'), 'utf8')),
);
const lowered = (warningEnter: number): RuleSet => ({
  ...bridge,
  sensors: bridge.sensors.map((s) =>
    s.sensor === 'strain' ? { ...s, warning: { enter: warningEnter, clear: warningEnter - 30 } } : s,
  ),
});

let dir: ReturnType<typeof tempDir>;
let hub: Hub;
let officer: Socket;
let supervisor: Socket;

beforeAll(async () => {
  dir = tempDir();
  hub = await startHub({ dataDir: dir.dir, port: 0 });
  officer = await connect(hub.url, {
    token: await hub.issueToken({ role: 'officer', name: 'Ada Okafor', position: 'Duty Officer' }),
  });
  supervisor = await connect(hub.url, {
    token: await hub.issueToken({ role: 'supervisor', name: 'Mara Quist', position: 'EOC Supervisor' }),
  });
});

afterAll(async () => {
  officer.close();
  supervisor.close();
  await hub.close();
  dir.remove();
});

const setRules = async (s: Socket, payload: MutationPayload<'telemetry.rules.set'>, id = newId()) =>
  ask(s, 'mutate', { id, type: 'telemetry.rules.set', payload, hlc: hlc() });

async function entriesAfter(seq: number): Promise<HubEvent[]> {
  return PullAck.parse(await ask(supervisor, 'pull', { after: seq, limit: 10_000 })).events;
}

describe('telemetry.rules.set on the hub', () => {
  it('refuses a duty officer with FORBIDDEN, audits the refusal and changes no rule', async () => {
    const before = hub.head();
    const ack = MutateAck.parse(await setRules(officer, { ruleSet: lowered(550), reason: 'Deck resurfaced' }));
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const after = await entriesAfter(before);
    expect(after.map((e) => e.type)).toEqual(['audit.recorded']);
    const audit = after[0]!.type === 'audit.recorded' ? after[0]!.payload : null;
    expect(audit?.audit.kind).toBe('refused');
    expect(audit?.text).toContain('telemetry.rules.set');
    expect(audit?.audit.officer.name).toBe('Ada Okafor');
  });

  it("appends a supervisor's edit with what it replaced, and an ICS 214 entry naming the change and the reason", async () => {
    const before = hub.head();
    const ack = MutateAck.parse(
      await setRules(supervisor, { ruleSet: lowered(550), reason: 'Deck resurfaced; design office asked for 550.' }),
    );
    expect(ack.ok).toBe(true);
    const after = await entriesAfter(before);
    expect(after.map((e) => e.type)).toEqual(['telemetry.rules.changed', 'log.appended']);
    const changed = after[0]!;
    if (changed.type !== 'telemetry.rules.changed') throw new Error('expected the change first');
    expect(changed.payload.by).toMatchObject({ name: 'Mara Quist', role: 'supervisor' });
    expect(changed.payload.previous?.source).toBe('bundled');
    expect(changed.payload.previous?.ruleSet.sensors.find((s) => s.sensor === 'strain')?.warning.enter).toBe(600);
    expect(changed.payload.ruleSet.sensors.find((s) => s.sensor === 'strain')?.warning.enter).toBe(550);
    const log = after[1]!;
    if (log.type !== 'log.appended') throw new Error('expected the log entry second');
    expect(log.payload.action).toBe('telemetry.rules.set');
    expect(log.payload.incidentId).toBeNull();
    expect(log.payload.text).toContain('strain warning.enter 600 → 550 µε');
    expect(log.payload.text).toContain('Reason: Deck resurfaced; design office asked for 550.');
    expect(log.payload.text).toContain('Mara Quist (EOC Supervisor)');
    expect(log.payload.chainHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a second edit replaces the first, and the log says from what', async () => {
    const before = hub.head();
    expect(MutateAck.parse(await setRules(supervisor, { ruleSet: lowered(520), reason: 'Second opinion' })).ok).toBe(
      true,
    );
    const [changed, log] = await entriesAfter(before);
    expect(changed?.type === 'telemetry.rules.changed' && changed.payload.previous?.source).toBe('edited');
    expect(log?.type === 'log.appended' && log.payload.text).toContain('strain warning.enter 550 → 520 µε');
    // the same settings again change nothing: a coded refusal, not a second entry
    const same = MutateAck.parse(await setRules(supervisor, { ruleSet: lowered(520), reason: 'Again' }));
    expect(same).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('refuses an invalid rule set at the boundary with BAD_REQUEST, appending nothing', async () => {
    const before = hub.head();
    const wrong = {
      ...bridge,
      // the alarm below the warning for a rising sensor: the schema's own check
      sensors: bridge.sensors.map((s) => (s.sensor === 'strain' ? { ...s, alarm: { enter: 500, clear: 480 } } : s)),
    };
    const ack = MutateAck.parse(await setRules(supervisor, { ruleSet: wrong, reason: 'typo' }));
    expect(ack).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const twice = {
      ...bridge,
      sensors: [bridge.sensors[0]!, bridge.sensors[0]!],
    };
    const dup = MutateAck.parse(await setRules(supervisor, { ruleSet: twice, reason: 'copy and paste' }));
    expect(dup).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(dup.ok === false && dup.error.message).toContain('two rules');
    expect(hub.head()).toBe(before);
  });

  it('the exported log with the rule changes still verifies', async () => {
    const out = join(dir.dir, 'export.json');
    const summary = await exportLog({ hubData: dir.dir, format: 'json', out });
    expect(verifyExportFile(out)).toMatchObject({ ok: true, entries: summary.entries });
    expect(readFileSync(out, 'utf8')).toContain('telemetry.rules.set');
  });
});
