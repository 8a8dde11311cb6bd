import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHub, type Hub } from '../../hub/server';
import type { ChangeSet, ConnectionStatus } from '../../shared/api';
import type { TelemetryRules } from '../../shared/telemetry/api';
import { RuleSet } from '../../shared/telemetry/rules/schema';
import { mergeChanges, startConsoleHost, type ConsoleHost } from '../../main/console/host';
import { defaultTelemetryRulesDir, loadBundledRules } from '../../main/telemetry/bundledRules';
import { testResources } from './fixtures';
import { eventually } from './stub-hub';

/**
 * Telemetry rules in the console (issue 9, decision 0034): the bundled loader refuses a bad
 * file whole and keeps the rest; a supervisor's edit on one console goes through the outbox
 * to a real hub and changes the rules in force on another console's replica; a duty officer's
 * console refuses the edit itself; an invalid rule set is refused at the IPC boundary.
 */

const RULES_DIR = path.join(__dirname, '../../assets/telemetry-rules');
const fast = { delayMs: 50, maxDelayMs: 500, jitter: 0.5 };
const { dir, later } = testResources();

const bundledBridge = RuleSet.parse(JSON.parse(readFileSync(path.join(RULES_DIR, 'bridge.json'), 'utf8')));
const withStrainWarning = (enter: number): RuleSet => ({
  ...bundledBridge,
  sensors: bundledBridge.sensors.map((s) =>
    s.sensor === 'strain' ? { ...s, warning: { enter, clear: enter - 30 } } : s,
  ),
});

describe('bundled telemetry rules', () => {
  it('reads every shipped file from the default folder', () => {
    const loaded = loadBundledRules();
    expect(path.resolve(loaded.dir)).toBe(path.resolve(RULES_DIR));
    expect(defaultTelemetryRulesDir()).toBe(loaded.dir);
    expect(loaded.refused).toEqual([]);
    expect(loaded.ruleSets.length).toBe(readdirSync(RULES_DIR).filter((f) => f.endsWith('.json')).length);
  });

  it('refuses a bad file whole with RULES_FILE_INVALID and keeps the others', () => {
    const d = dir('rules');
    for (const f of readdirSync(RULES_DIR)) writeFileSync(path.join(d, f), readFileSync(path.join(RULES_DIR, f)));
    // a warning level past the alarm, in an otherwise whole file
    const tunnel = JSON.parse(readFileSync(path.join(RULES_DIR, 'tunnel.json'), 'utf8')) as RuleSet;
    tunnel.sensors[0]!.warning.enter = tunnel.sensors[0]!.alarm.enter + 10;
    writeFileSync(path.join(d, 'tunnel.json'), JSON.stringify(tunnel));
    writeFileSync(path.join(d, 'broken.json'), '{ "assetKind": "bridge", ');
    const loaded = loadBundledRules(d);
    expect(loaded.refused.map((r) => [r.file, r.code])).toEqual([
      ['broken.json', 'RULES_FILE_INVALID'],
      ['tunnel.json', 'RULES_FILE_INVALID'],
    ]);
    expect(loaded.refused[0]!.message).toMatch(/^not JSON/);
    expect(loaded.refused[1]!.message).toMatch(/^sensors\.0\.(warning|alarm)/);
    expect(loaded.ruleSets.map((r) => r.assetKind).sort()).toEqual(['bridge', 'pipeline', 'pipeline', 'river_gauge']);
  });

  it('reports an unreadable folder as a refusal, not a crash', () => {
    const missing = path.join(dir('none'), 'nothing-here');
    const loaded = loadBundledRules(missing);
    expect(loaded.ruleSets).toEqual([]);
    expect(loaded.refused[0]).toMatchObject({ code: 'RULES_FILE_INVALID' });
    mkdirSync(missing);
    expect(loadBundledRules(missing)).toMatchObject({ ruleSets: [], refused: [] });
  });
});

describe('telemetry rules on two consoles', () => {
  async function consoleOn(h: Hub, role: 'officer' | 'supervisor', name: string): Promise<ConsoleHost> {
    const token = await h.issueToken({
      role,
      name,
      position: role === 'supervisor' ? 'EOC Supervisor' : 'Duty Officer',
    });
    const host = await startConsoleHost({
      dataDir: dir(`console-${name.replace(/\W/g, '')}`),
      hubUrl: h.url,
      token,
      reconnect: fast,
    });
    later(() => host.close());
    return host;
  }
  const rulesOf = async (host: ConsoleHost): Promise<TelemetryRules> => {
    const r = await host.invoke('watchfloor:getTelemetryRules', undefined);
    if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
    return r.value as TelemetryRules;
  };
  const bridgeOf = (rules: TelemetryRules) => rules.ruleSets.find((r) => r.ruleSet.assetKind === 'bridge')!;
  const strainWarning = (rules: TelemetryRules) =>
    bridgeOf(rules).ruleSet.sensors.find((s) => s.sensor === 'strain')!.warning.enter;
  const status = async (host: ConsoleHost) => {
    const r = await host.call('getStatus');
    if (!r.ok) throw new Error(r.error.message);
    return r.value as ConnectionStatus;
  };

  it("a supervisor's edit reaches another console's replica and changes its rules in force", async () => {
    const h = await startHub({ dataDir: dir('hub'), port: 0 });
    later(() => h.close());
    const mara = await consoleOn(h, 'supervisor', 'Mara Quist');
    const ada = await consoleOn(h, 'officer', 'Ada Okafor');
    const pushedToAda: TelemetryRules[] = [];
    ada.onPush((channel, payload) => {
      const rules = (payload as ChangeSet).telemetryRules;
      if (channel === 'watchfloor:changes' && rules) pushedToAda.push(rules);
    });
    await eventually(async () => (await status(ada)).state === 'online', 'ada online');

    const before = await rulesOf(ada);
    expect(bridgeOf(before)).toMatchObject({ source: 'bundled', updatedBy: null });
    expect(strainWarning(before)).toBe(600);

    // a duty officer's console refuses the edit itself (the hub would too: tests/hub/telemetry-rules)
    const refused = await ada.invoke('watchfloor:setTelemetryRule', {
      ruleSet: withStrainWarning(550),
      reason: 'I think it is too high',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // an invalid rule set never reaches the worker: the alarm below the warning
    const invalid = await mara.invoke('watchfloor:setTelemetryRule', {
      ruleSet: { ...bundledBridge, sensors: [{ ...bundledBridge.sensors[0]!, alarm: { enter: 100, clear: 90 } }] },
      reason: 'typo',
    });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((await mara.call('getOutbox')).ok && ((await mara.call('getOutbox')) as { value: unknown[] }).value).toEqual(
      [],
    );

    // in force on the supervisor's console at once, marked pending until the hub confirms: the
    // read is posted right behind the edit, so the worker answers it before its change flush
    const [set, local] = await Promise.all([
      mara.invoke('watchfloor:setTelemetryRule', {
        ruleSet: withStrainWarning(550),
        reason: 'Deck resurfaced; the design office asked for 550 µε.',
      }),
      rulesOf(mara),
    ]);
    expect(set.ok).toBe(true);
    expect(strainWarning(local)).toBe(550);
    expect(bridgeOf(local)).toMatchObject({ source: 'edited' });

    const onAda = (await eventually(async () => {
      const r = await rulesOf(ada);
      return strainWarning(r) === 550 ? r : null;
    }, 'the edit on the other console'))!;
    expect(bridgeOf(onAda)).toMatchObject({
      source: 'edited',
      updatedBy: 'Mara Quist (EOC Supervisor)',
      reason: 'Deck resurfaced; the design office asked for 550 µε.',
    });
    expect(bridgeOf(onAda).pending).toBeUndefined();
    // the other rule sets are still the bundled ones
    expect(onAda.ruleSets.filter((r) => r.source === 'bundled').length).toBe(before.ruleSets.length - 1);
    // and the renderer was told: the whole rules in a push
    await eventually(() => pushedToAda.some((r) => strainWarning(r) === 550), 'rules pushed to the renderer');
    const confirmed = (await eventually(async () => {
      const r = await rulesOf(mara);
      return bridgeOf(r).pending ? null : r;
    }, 'confirmed on the supervisor console'))!;
    expect(bridgeOf(confirmed).updatedBy).toBe('Mara Quist (EOC Supervisor)');
  });

  it('a console rebuilt from a snapshot has the edits the snapshot holds in force', async () => {
    const h = await startHub({ dataDir: dir('hub'), port: 0 });
    later(() => h.close());
    const adaToken = await h.issueToken({ role: 'officer', name: 'Ada Okafor', position: 'Duty Officer' });
    const adaDir = dir('console-ada');
    const openAda = async (): Promise<ConsoleHost> => {
      const host = await startConsoleHost({ dataDir: adaDir, hubUrl: h.url, token: adaToken, reconnect: fast });
      later(() => host.close());
      return host;
    };
    let ada = await openAda();
    await eventually(async () => (await status(ada)).state === 'online', 'ada online');
    await ada.close();

    // while Ada's console is closed a supervisor edits the bridge rules, and the hub compacts past the edit
    const mara = await consoleOn(h, 'supervisor', 'Mara Quist');
    const set = await mara.invoke('watchfloor:setTelemetryRule', {
      ruleSet: withStrainWarning(550),
      reason: 'Deck resurfaced; the design office asked for 550 µε.',
    });
    expect(set.ok).toBe(true);
    await eventually(async () => (bridgeOf(await rulesOf(mara)).pending ? null : true), 'edit confirmed');
    await h.simulate(20);
    h.compact(h.head());

    ada = await openAda();
    await eventually(async () => {
      const r = await ada.call('getSyncCounters');
      return r.ok && (r.value as { rebuilds: number }).rebuilds > 0;
    }, 'ada rebuilt from the snapshot');
    const rules = (await eventually(async () => {
      const r = await rulesOf(ada);
      return strainWarning(r) === 550 ? r : null;
    }, "the snapshot's edit in force"))!;
    expect(bridgeOf(rules)).toMatchObject({ source: 'edited', updatedBy: 'Mara Quist (EOC Supervisor)' });
  });
});

describe('pushes', () => {
  it('merging change sets keeps the newest telemetry rules', () => {
    const older: TelemetryRules = { ruleSets: [] };
    const newer: TelemetryRules = {
      ruleSets: [{ ruleSet: bundledBridge, source: 'edited', updatedAt: 't', updatedBy: 'Mara Quist' }],
    };
    const a = mergeChanges(null, { alerts: [], assets: [], telemetryRules: older });
    expect(mergeChanges(a, { alerts: [], assets: [], telemetryRules: newer }).telemetryRules).toBe(newer);
    expect(mergeChanges(a, { alerts: [], assets: [] }).telemetryRules).toBe(older);
  });
});
