import type { CapCertainty, CapSeverity, CapUrgency } from '../../domain/cap';
import { SENSOR_LABELS, SENSOR_UNITS, type SensorKind } from '../sensors';
import { chineseText } from './draftsZh';

export type RuleName = 'threshold' | 'rate' | 'prediction' | 'frozen' | 'spiking' | 'missing';

/** Health rules say the sensor is faulty, never that the asset is in danger (decision 0030). */
export const MAINTENANCE_RULES: ReadonlySet<RuleName> = new Set(['frozen', 'spiking', 'missing']);

/** What a rule saw: a state change of one rule on one sensor. */
export interface RuleHit {
  readonly rule: RuleName;
  /** raised: the condition began (or got worse); cleared: it ended */
  readonly phase: 'raised' | 'cleared';
  readonly assetId: string;
  readonly assetName: string;
  readonly sensor: SensorKind;
  /** time of the reading (or sweep) that caused the change, ms */
  readonly t: number;
  /** threshold: the level now in force; prediction: the level predicted to be reached */
  readonly level?: 'warning' | 'alarm';
  /** the confirmed (median-filtered) value, in the sensor's unit */
  readonly value?: number;
  /** the robust trend, units per minute */
  readonly slopePerMinute?: number;
  readonly predictedMinutes?: number;
  /** health rules: what was counted (readings unchanged, jumps, minutes silent) */
  readonly count?: number;
}

/**
 * A rule hit shaped as a CAP alert draft, raised by this console (issue 9). It is
 * a draft: delivering it through the outbox and deduplicating it at the hub is
 * the next step's work. Maintenance notices carry kind 'maintenance' so nothing
 * downstream can mistake a faulty sensor for a failing bridge.
 */
export interface TelemetryAlertDraft {
  /** stable for the same hit: the same reading replayed yields the same id */
  readonly id: string;
  readonly raisedBy: 'console';
  readonly kind: 'danger' | 'maintenance';
  readonly rule: RuleName;
  readonly msgType: 'Alert' | 'Cancel';
  readonly status: 'Actual';
  readonly sent: string;
  readonly assetId: string;
  readonly sensor: SensorKind;
  readonly level?: 'warning' | 'alarm';
  readonly value?: number;
  readonly unit: string;
  readonly predictedMinutes?: number;
  /** the English text (as `infos[0]`, without its language) */
  readonly info: DraftInfo;
  /**
   * One block per language, as CAP carries them (issue 9): English first, then Simplified
   * Chinese; the console's detail shows the one nearest the officer's language first.
   */
  readonly infos: readonly (DraftInfo & { readonly language: DraftLanguage })[];
}

export type DraftLanguage = 'en-US' | 'zh-CN';
export const DRAFT_LANGUAGES: readonly DraftLanguage[] = ['en-US', 'zh-CN'];

export interface DraftInfo {
  readonly category: 'Infra';
  readonly event: string;
  readonly urgency: CapUrgency;
  readonly severity: CapSeverity;
  readonly certainty: CapCertainty;
  readonly headline: string;
  readonly instruction: string;
}

/** Few enough digits to read aloud, enough to tell 0.33 MPa from 0.38 MPa. */
export function formatValue(v: number): string {
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function toAlertDraft(hit: RuleHit): TelemetryAlertDraft {
  const unit = SENSOR_UNITS[hit.sensor];
  const label = SENSOR_LABELS[hit.sensor];
  const what = `${hit.assetName} ${label}`;
  const maintenance = MAINTENANCE_RULES.has(hit.rule);
  const value = hit.value === undefined ? '' : `${formatValue(hit.value)} ${unit}`;
  let event: string;
  let headline: string;
  let instruction: string;
  let urgency: CapUrgency = 'Expected';
  let severity: CapSeverity = 'Moderate';
  let certainty: CapCertainty = 'Observed';
  const minutes = Math.max(1, Math.round(hit.predictedMinutes ?? 0));
  const perHour = formatValue(Math.abs(hit.slopePerMinute ?? 0) * 60);
  switch (hit.rule) {
    case 'threshold':
      event = `${capitalised(label)} ${hit.level ?? 'warning'}`;
      headline =
        hit.phase === 'raised'
          ? `${what} at ${hit.level ?? 'warning'} level: ${value}`
          : `${what} back below ${hit.level ?? 'warning'} level: ${value}`;
      instruction =
        hit.level === 'alarm'
          ? 'Act on the asset plan now: restrict use and send the duty engineer.'
          : 'Watch the asset and alert the duty engineer.';
      if (hit.level === 'alarm') {
        urgency = 'Immediate';
        severity = 'Severe';
      }
      break;
    case 'prediction':
      event = `${capitalised(label)} trend`;
      headline = `${what} predicted to reach ${hit.level ?? 'alarm'} level in ~${minutes} min`;
      instruction = 'Check the trend and prepare the asset plan before the level is reached.';
      certainty = 'Likely';
      urgency = hit.level === 'alarm' ? 'Expected' : 'Future';
      severity = hit.level === 'alarm' ? 'Severe' : 'Moderate';
      break;
    case 'rate': {
      event = `${capitalised(label)} changing fast`;
      headline =
        hit.phase === 'raised'
          ? `${what} changing fast: ${perHour} ${unit} per hour`
          : `${what} no longer changing fast`;
      instruction = 'Check the asset: a fast change often comes before a threshold.';
      break;
    }
    case 'frozen':
    case 'spiking':
    case 'missing': {
      const fault =
        hit.rule === 'frozen'
          ? `frozen (no change over ${hit.count ?? 0} readings)`
          : hit.rule === 'spiking'
            ? `spiking (${hit.count ?? 0} isolated jumps)`
            : `silent (no reading for ${hit.count ?? 0} min)`;
      event = 'Sensor maintenance';
      headline = hit.phase === 'raised' ? `${what} sensor ${fault}` : `${what} sensor reporting normally again`;
      instruction = 'Ask maintenance to check the sensor; its readings are not evidence of danger.';
      urgency = 'Future';
      severity = 'Minor';
      break;
    }
  }
  const info: DraftInfo = { category: 'Infra', event, urgency, severity, certainty, headline, instruction };
  const zh = chineseText(hit, value, perHour, minutes);
  return {
    id: `tele:${hit.assetId}/${hit.sensor}:${hit.rule}:${hit.phase}:${hit.level ?? '-'}:${hit.t}`,
    raisedBy: 'console',
    kind: maintenance ? 'maintenance' : 'danger',
    rule: hit.rule,
    msgType: hit.phase === 'raised' ? 'Alert' : 'Cancel',
    status: 'Actual',
    sent: new Date(hit.t).toISOString(),
    assetId: hit.assetId,
    sensor: hit.sensor,
    ...(hit.level ? { level: hit.level } : {}),
    ...(hit.value !== undefined ? { value: hit.value } : {}),
    unit,
    ...(hit.predictedMinutes !== undefined ? { predictedMinutes: hit.predictedMinutes } : {}),
    info,
    infos: [
      { language: 'en-US', ...info },
      { language: 'zh-CN', ...info, ...zh },
    ],
  };
}
