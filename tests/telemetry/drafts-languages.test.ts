import { describe, expect, it } from 'vitest';
import { toAlertDraft, type RuleHit } from '../../shared/telemetry/rules/drafts';
import { describeRuleChange, parseRuleFiles, rulesInForce } from '../../shared/telemetry/rules/edits';
import { capOfDraft, hazardOf } from '../../shared/telemetry/edge';
import { loadRuleSets } from './support';

/**
 * Console-raised drafts carry one info block per language (issue 9): the English text as
 * before, and Simplified Chinese with the same numbers. Also the pure parts of decision 0034:
 * the change description written to the log, and the rules in force.
 */

const base = {
  assetId: 'BR-12',
  assetName: 'Kingsgate Bridge',
  sensor: 'strain' as const,
  t: Date.UTC(2026, 10, 24, 8),
};
const hits: RuleHit[] = [
  { ...base, rule: 'threshold', phase: 'raised', level: 'alarm', value: 861.4 },
  { ...base, rule: 'threshold', phase: 'cleared', level: 'warning', value: 571 },
  { ...base, rule: 'prediction', phase: 'raised', level: 'alarm', predictedMinutes: 13.6, slopePerMinute: 4 },
  { ...base, rule: 'rate', phase: 'raised', slopePerMinute: 2.5 },
  { ...base, rule: 'frozen', phase: 'raised', count: 15 },
  { ...base, rule: 'missing', phase: 'cleared', count: 12 },
];

describe('drafts in English and Simplified Chinese', () => {
  it('every draft has an en-US and a zh-CN block; the English one is the draft info as before', () => {
    for (const hit of hits) {
      const d = toAlertDraft(hit);
      expect(d.infos.map((i) => i.language)).toEqual(['en-US', 'zh-CN']);
      const [en, zh] = d.infos;
      expect({ ...en, language: undefined }).toEqual({ ...d.info, language: undefined });
      // the CAP codes are the same in both languages; only the words differ
      expect(zh).toMatchObject({
        category: 'Infra',
        urgency: d.info.urgency,
        severity: d.info.severity,
        certainty: d.info.certainty,
      });
      for (const key of ['event', 'headline', 'instruction'] as const) {
        expect(zh![key]).not.toBe(en![key]);
        expect(zh![key]).toMatch(/[\u4e00-\u9fff]/);
      }
      expect(zh!.headline).toContain('Kingsgate Bridge');
    }
  });

  it('the Chinese text carries the same numbers as the English', () => {
    const [alarm, , predicted, rate, frozen] = hits.map(toAlertDraft);
    expect(alarm!.info.headline).toBe('Kingsgate Bridge strain at alarm level: 861 µε');
    expect(alarm!.infos[1]!.headline).toBe('Kingsgate Bridge 应变达到报警级别：861 µε');
    expect(predicted!.info.headline).toBe('Kingsgate Bridge strain predicted to reach alarm level in ~14 min');
    expect(predicted!.infos[1]!.headline).toBe('Kingsgate Bridge 应变预计约 14 分钟后达到报警级别');
    expect(rate!.infos[1]!.headline).toContain('每小时 150 µε');
    expect(frozen!.infos[1]!.headline).toContain('连续 15 个读数无变化');
    expect(frozen!.infos[1]!.instruction).toContain('不能作为危险的证据');
  });
});

describe('console-raised CAP messages', () => {
  it('carry an English and a Simplified Chinese info block with the same codes and hazard', () => {
    const draft = toAlertDraft(hits[0]!);
    const cap = capOfDraft(draft, 'console-1', {
      id: 'BR-12',
      name: 'Kingsgate Bridge',
      location: { lat: 51.5, lon: -0.1 },
    });
    expect(cap.infos.map((i) => i.language)).toEqual(['en-US', 'zh-CN']);
    expect(cap.infos[0]!.headline).toBe(draft.info.headline);
    expect(cap.infos[1]!.headline).toBe('Kingsgate Bridge 应变达到报警级别：861 µε');
    expect(cap.infos[1]!.severity).toBe(cap.infos[0]!.severity);
    expect(cap.infos[1]!.parameter).toEqual(cap.infos[0]!.parameter);
    expect(hazardOf(cap)).toEqual({ assetId: 'BR-12', sensor: 'strain', kind: 'danger' });
  });
});

describe('rule edits (decision 0034)', () => {
  const bundled = loadRuleSets();
  const bridge = bundled.find((r) => r.assetKind === 'bridge')!;

  it('describes each changed setting with its old and new value', () => {
    const edited = {
      ...bridge,
      sensors: bridge.sensors.map((s) =>
        s.sensor === 'strain'
          ? { ...s, warning: { enter: 550, clear: 520 }, prediction: undefined, rate: { perMinute: 3 } }
          : s,
      ),
    };
    const changes = describeRuleChange(bridge, edited);
    expect(changes).toContain('strain warning.enter 600 → 550 µε');
    expect(changes.some((c) => /^strain warning\.clear \d+ → 520 µε$/.test(c))).toBe(true);
    expect(changes.some((c) => /^strain prediction\.horizonMinutes \d+ → \(none\)$/.test(c))).toBe(true);
    expect(describeRuleChange(bridge, bridge)).toEqual([]);
  });

  it('an edit replaces its bundled rule set; an edit of a new prefix is added', () => {
    const edited = { ...bridge, description: 'resurfaced deck' };
    const newPrefix = { ...bridge, namePrefix: 'Kingsgate' };
    const inForce = rulesInForce(bundled, [
      { ruleSet: edited, updatedAt: 't1', updatedBy: 'Mara Quist' },
      { ruleSet: newPrefix, updatedAt: 't2', updatedBy: 'Mara Quist', pending: true },
    ]);
    expect(inForce.length).toBe(bundled.length + 1);
    const bridges = inForce.filter((r) => r.ruleSet.assetKind === 'bridge');
    expect(bridges.map((r) => [r.ruleSet.namePrefix, r.source, r.pending])).toEqual([
      [undefined, 'edited', undefined],
      ['Kingsgate', 'edited', true],
    ]);
  });

  it('a second file for the same asset kind and prefix is refused', () => {
    const text = JSON.stringify(bridge);
    const parsed = parseRuleFiles([
      { name: 'bridge.json', text },
      { name: 'bridge-copy.json', text },
    ]);
    expect(parsed.ruleSets.length).toBe(1);
    expect(parsed.refused).toEqual([
      {
        file: 'bridge.json',
        code: 'RULES_FILE_INVALID',
        message: 'a second rule set for bridge (the first is bridge-copy.json)',
      },
    ]);
  });
});
