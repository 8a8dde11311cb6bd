import { severityRank, type CapSeverity } from '../../shared/domain/cap';
import type { AlertSummary } from '../../shared/domain/alert';

/**
 * Which new alerts make a sound and which raise a native notification (decision 0027).
 * Pure: the caller says what arrived, when, and whether the console is catching up;
 * the answer is what to play, what to show, and the memory for next time.
 *
 * - Only NEW alerts: ids this window has not seen (the first snapshot is all seen), not
 *   arriving during catch-up, and not sent longer ago than `maxAgeMs` (a replay after a
 *   long absence is read in the queue, not announced).
 * - Only real ones: CAP status Actual; Exercise, Test, System and Draft are silent.
 *   msgType Alert and Update announce; Cancel, Ack and Error never do.
 * - Not what someone already handled: a row arriving acknowledged (or superseded) is silent.
 * - One sound per burst, the worst severity wins; a severity sounds only when no sound of
 *   that severity or worse played in the last `soundWindowMs`. A storm of 1 000 alerts
 *   is one sound, not 1 000.
 * - Notifications for Extreme and Severe only. More than `groupAbove` in one burst, or
 *   more than `notifyWindowMax` in `notifyWindowMs`, become one summary notification.
 * - Mute silences the sound, not the notification (native notifications are always
 *   raised silent; the sound is ours).
 */

export type SoundName = 'extreme' | 'severe' | 'moderate' | 'minor';

export const soundForSeverity: Readonly<Record<CapSeverity, SoundName>> = {
  Extreme: 'extreme',
  Severe: 'severe',
  Moderate: 'moderate',
  Minor: 'minor',
  // An Actual alert nobody graded still deserves an ear: the softest sound.
  Unknown: 'minor',
};

export type AlertingAlert = Pick<
  AlertSummary,
  'id' | 'status' | 'msgType' | 'severity' | 'event' | 'headline' | 'sent' | 'ack' | 'pendingAck'
> & { readonly lifecycle?: AlertSummary['lifecycle'] };

export interface AlertingSettings {
  /** a severity sounds at most once per this window, and not after a worse one within it */
  readonly soundWindowMs: number;
  /** alerts sent longer ago than this are old news when they arrive */
  readonly maxAgeMs: number;
  /** more notifiable alerts than this in one burst become one summary */
  readonly groupAbove: number;
  readonly notifyWindowMs: number;
  /** more notifications than this within notifyWindowMs: the rest are summarised */
  readonly notifyWindowMax: number;
}

export const defaultAlertingSettings: AlertingSettings = {
  soundWindowMs: 10_000,
  maxAgeMs: 15 * 60_000,
  groupAbove: 3,
  notifyWindowMs: 60_000,
  notifyWindowMax: 6,
};

export interface AlertingMemory {
  /**
   * ids this window has already seen (from the snapshot or an earlier burst). It grows in
   * place: copying a city's worth of ids on every push would cost more than the decision.
   */
  readonly seen: Set<string>;
  /** when each sound last played (ms) */
  readonly lastSoundAt: Readonly<Partial<Record<SoundName, number>>>;
  /** when recent notifications were raised (ms), oldest first */
  readonly notifiedAt: readonly number[];
  /** notifiable alerts left out by the window cap, told in the next summary */
  readonly held: number;
}

export const emptyMemory = (seen: Iterable<string> = []): AlertingMemory => ({
  seen: new Set(seen),
  lastSoundAt: {},
  notifiedAt: [],
  held: 0,
});

/** One notification to raise: a single alert, or a summary of several. */
export type NotificationPlan =
  | { readonly kind: 'single'; readonly alert: AlertingAlert }
  | {
      readonly kind: 'summary';
      /** how many notifiable alerts it stands for */
      readonly count: number;
      readonly bySeverity: Readonly<Partial<Record<CapSeverity, number>>>;
      /** the worst of them: a click selects it */
      readonly worst: AlertingAlert;
    };

export interface AlertingDecision {
  readonly sound: SoundName | null;
  /** the alerts that would have sounded (for tests and the harness) */
  readonly announced: readonly AlertingAlert[];
  readonly notifications: readonly NotificationPlan[];
  readonly memory: AlertingMemory;
}

export interface AlertingInput {
  /** rows that arrived in this burst (new or changed) */
  readonly arrived: readonly AlertingAlert[];
  readonly now: number;
  /** the console is replaying the hub's log: nothing that arrives is news */
  readonly catchingUp: boolean;
  readonly muted: boolean;
}

/** Whether an alert, once new, is one the room must hear of. */
export function isAnnounceable(alert: AlertingAlert, now: number, maxAgeMs: number): boolean {
  if (alert.status !== 'Actual') return false;
  if (alert.msgType !== 'Alert' && alert.msgType !== 'Update') return false;
  if (alert.ack || alert.pendingAck) return false;
  if ((alert.lifecycle ?? 'current') !== 'current') return false;
  const sent = Date.parse(alert.sent);
  // An unreadable time is not a reason to stay silent; a time far in the past is.
  return Number.isNaN(sent) || now - sent <= maxAgeMs;
}

const isNotifiable = (alert: AlertingAlert): boolean => alert.severity === 'Extreme' || alert.severity === 'Severe';

const worseFirst = (a: AlertingAlert, b: AlertingAlert): number => severityRank[b.severity] - severityRank[a.severity];

const soundRank = (s: SoundName): number => (s === 'extreme' ? 4 : s === 'severe' ? 3 : s === 'moderate' ? 2 : 1);

export function decideAlerting(
  memory: AlertingMemory,
  input: AlertingInput,
  settings: AlertingSettings = defaultAlertingSettings,
): AlertingDecision {
  const seen = memory.seen;
  const fresh: AlertingAlert[] = [];
  for (const alert of input.arrived) {
    if (seen.has(alert.id)) continue;
    seen.add(alert.id);
    if (!input.catchingUp && isAnnounceable(alert, input.now, settings.maxAgeMs)) fresh.push(alert);
  }
  fresh.sort(worseFirst);

  // Sound: the worst severity of the burst, unless it or worse sounded within the window.
  let sound: SoundName | null = null;
  const lastSoundAt = { ...memory.lastSoundAt };
  const worst = fresh[0];
  if (worst && !input.muted) {
    const candidate = soundForSeverity[worst.severity];
    const blocked = (Object.keys(lastSoundAt) as SoundName[]).some(
      (s) => soundRank(s) >= soundRank(candidate) && input.now - (lastSoundAt[s] ?? -Infinity) < settings.soundWindowMs,
    );
    if (!blocked) {
      sound = candidate;
      lastSoundAt[candidate] = input.now;
    }
  }

  // Notifications: Extreme and Severe; a burst or a busy minute becomes one summary.
  const notifiedAt = memory.notifiedAt.filter((t) => input.now - t < settings.notifyWindowMs);
  const notifiable = fresh.filter(isNotifiable);
  const notifications: NotificationPlan[] = [];
  let held = memory.held;
  if (notifiable.length > 0) {
    const room = settings.notifyWindowMax - notifiedAt.length;
    if (room <= 0) {
      held += notifiable.length;
    } else if (notifiable.length > settings.groupAbove || held > 0 || room === 1) {
      notifications.push(summary(notifiable, held));
      held = 0;
    } else {
      for (const alert of notifiable) notifications.push({ kind: 'single', alert });
    }
  }
  for (let i = 0; i < notifications.length; i++) notifiedAt.push(input.now);

  return {
    sound,
    announced: fresh,
    notifications,
    memory: { seen, lastSoundAt, notifiedAt, held },
  };
}

function summary(alerts: readonly AlertingAlert[], held: number): NotificationPlan {
  const bySeverity: Partial<Record<CapSeverity, number>> = {};
  for (const a of alerts) bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
  return { kind: 'summary', count: alerts.length + held, bySeverity, worst: alerts[0]! };
}
