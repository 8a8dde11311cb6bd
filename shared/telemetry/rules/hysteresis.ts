import type { SensorRule } from './schema';

export type Level = 'normal' | 'warning' | 'alarm';

const RANK: Readonly<Record<Level, number>> = { normal: 0, warning: 1, alarm: 2 };
export const levelRank = (level: Level): number => RANK[level];

/**
 * Threshold with hysteresis. A level is entered when the value reaches its
 * `enter` and left only when the value is back past its `clear`, so a value
 * hovering at a level produces one hit, not a flapping stream. Pure: the next
 * level depends only on the previous level and the value.
 */
export function nextLevel(
  prev: Level,
  value: number,
  rule: Pick<SensorRule, 'direction' | 'warning' | 'alarm'>,
): Level {
  const rising = rule.direction === 'rising';
  const reached = (limit: number) => (rising ? value >= limit : value <= limit);
  const backPast = (limit: number) => (rising ? value < limit : value > limit);
  if (reached(rule.alarm.enter) || (prev === 'alarm' && !backPast(rule.alarm.clear))) return 'alarm';
  if (reached(rule.warning.enter) || (prev !== 'normal' && !backPast(rule.warning.clear))) return 'warning';
  return 'normal';
}
