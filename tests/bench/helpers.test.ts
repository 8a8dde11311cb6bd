import { describe, expect, it } from 'vitest';
import { alertIdOf, cloneAlertPayload, syntheticAssets } from '../../bench/fixtures';
import { percentile } from '../../bench/report';
import { Asset } from '../../shared/domain/asset';

describe('bench helpers', () => {
  it('percentile is nearest-rank on a sorted array', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('a cloned alert keeps its references inside its own cycle', () => {
    const json = JSON.stringify({
      alertId: 'sensors@porthalden.example,PH-00000002',
      cap: { identifier: 'PH-00000002', references: ['sensors@porthalden.example,PH-00000001,2026-01-01T00:00:00Z'] },
      note: 'PH-ASSET-ID BR-006',
    });
    expect(cloneAlertPayload(json, 0)).toBe(json);
    const clone = JSON.parse(cloneAlertPayload(json, 3)) as {
      alertId: string;
      cap: { identifier: string; references: string[] };
      note: string;
    };
    expect(clone.alertId).toBe('sensors@porthalden.example,PH-c3-00000002');
    expect(clone.cap.identifier).toBe('PH-c3-00000002');
    expect(clone.cap.references[0]).toContain('PH-c3-00000001');
    expect(clone.note).toBe('PH-ASSET-ID BR-006');
    expect(alertIdOf(cloneAlertPayload(json, 3))).toBe(clone.alertId);
  });

  it('synthetic assets are valid, unique and deterministic', () => {
    const a = syntheticAssets(500);
    expect(new Set(a.map((x) => x.id)).size).toBe(500);
    for (const x of a) expect(Asset.safeParse(x).success).toBe(true);
    expect(syntheticAssets(500)).toEqual(a);
  });
});
