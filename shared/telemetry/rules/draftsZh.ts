import type { SensorKind } from '../sensors';
import { SENSOR_UNITS } from '../sensors';

/**
 * The Simplified Chinese text of a console-raised alert (issue 9): CAP carries one info
 * block per language, and the console's detail shows the block nearest the officer's
 * language first (renderer/state/queueView.ts languageTabs). Written beside the English
 * of drafts.ts, sentence for sentence, with the same numbers.
 */
const SENSOR_ZH: Readonly<Record<SensorKind, string>> = {
  strain: '应变',
  deflection: '挠度',
  frequency: '固有频率',
  convergence: '衬砌收敛',
  water_ingress: '渗水量',
  pressure: '压力',
  flow: '流量',
  river_level: '河道水位',
  rainfall: '降雨强度',
};

const LEVEL_ZH = { warning: '预警', alarm: '报警' } as const;

export interface ZhText {
  readonly event: string;
  readonly headline: string;
  readonly instruction: string;
}

/** The parts of a rule hit the text names (drafts.ts RuleHit; not imported, to keep the two one-way). */
export interface ZhHit {
  readonly rule: 'threshold' | 'rate' | 'prediction' | 'frozen' | 'spiking' | 'missing';
  readonly phase: 'raised' | 'cleared';
  readonly assetName: string;
  readonly sensor: SensorKind;
  readonly level?: 'warning' | 'alarm';
  readonly count?: number;
}

/** `value` and `perHour` come formatted from drafts.ts, so both languages show the same numbers. */
export function chineseText(hit: ZhHit, value: string, perHour: string, minutes: number): ZhText {
  const label = SENSOR_ZH[hit.sensor];
  const what = `${hit.assetName} ${label}`;
  const level = LEVEL_ZH[hit.level ?? 'warning'];
  switch (hit.rule) {
    case 'threshold':
      return {
        event: `${label}${level}`,
        headline:
          hit.phase === 'raised' ? `${what}达到${level}级别：${value}` : `${what}已回落至${level}级别以下：${value}`,
        instruction:
          hit.level === 'alarm' ? '立即执行该设施预案：限制使用并派遣值班工程师。' : '密切关注该设施并通知值班工程师。',
      };
    case 'prediction': {
      const predicted = LEVEL_ZH[hit.level ?? 'alarm'];
      return {
        event: `${label}趋势`,
        headline: `${what}预计约 ${minutes} 分钟后达到${predicted}级别`,
        instruction: '核查趋势，在达到该级别前做好设施预案准备。',
      };
    }
    case 'rate':
      return {
        event: `${label}快速变化`,
        headline:
          hit.phase === 'raised'
            ? `${what}快速变化：每小时 ${perHour} ${SENSOR_UNITS[hit.sensor]}`
            : `${what}已不再快速变化`,
        instruction: '检查该设施：快速变化往往先于越限出现。',
      };
    case 'frozen':
    case 'spiking':
    case 'missing': {
      const fault =
        hit.rule === 'frozen'
          ? `读数冻结（连续 ${hit.count ?? 0} 个读数无变化）`
          : hit.rule === 'spiking'
            ? `读数跳变（${hit.count ?? 0} 次孤立跳变）`
            : `无读数（${hit.count ?? 0} 分钟未收到读数）`;
      return {
        event: '传感器维护',
        headline: hit.phase === 'raised' ? `${what}传感器${fault}` : `${what}传感器已恢复正常上报`,
        instruction: '请维护人员检查该传感器；其读数不能作为危险的证据。',
      };
    }
  }
}
