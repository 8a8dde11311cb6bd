import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { sensorId, type SensorKind } from '../../shared/telemetry/sensors';
import { ErrorSentence } from '../components/ErrorSentence';
import { useFormats } from '../format';
import { useAppSelector } from '../state/hooks';
import { selectSensorStateById, type ChartRange, type SensorState } from '../state/telemetry';
import type { TelemetryApi } from './api';
import { chartColumns, leadTime, projectionOf, yRange, type Levels } from './chartModel';
import { chartTimeFormat, formatReading } from './format';
import { LevelBadge } from './StateBadge';
import { CHART_COLOURS, CHART_DASH, TelemetryChart } from './TelemetryChart';
import { useSensorSeries } from './useSensorSeries';

/** "Strain predicted to reach alarm level in ~14 min", in the officer's language. */
function usePredictionText(sensor: SensorKind, state: SensorState | undefined): string | null {
  const { t } = useTranslation();
  const p = state?.prediction;
  if (!p) return null;
  const lead = leadTime(p.minutes);
  return t(`telemetry.prediction.${lead.unit}`, {
    sensor: t(`telemetry.sensor.${sensor}`),
    level: t(`telemetry.levelWord.${p.level}`),
    n: lead.n,
  });
}

function LevelsLine({ levels, unit, locale }: { levels: Levels | null; unit: string; locale: string }) {
  const { t } = useTranslation();
  if (!levels) return <p className="wf-sensor__levels wf-muted">{t('telemetry.panel.noRule')}</p>;
  const args = {
    warning: formatReading(levels.warning, locale),
    alarm: formatReading(levels.alarm, locale),
    unit,
  };
  return (
    <p className="wf-sensor__levels">
      {levels.direction === 'falling' ? t('telemetry.panel.levelsFalling', args) : t('telemetry.panel.levels', args)}
    </p>
  );
}

/** What the lines are, drawn in the chart's own dashes (the chart is a canvas). */
function ChartKey({ band, prediction }: { band: boolean; prediction: boolean }) {
  const { t } = useTranslation();
  const dash = (d: readonly number[]) => d.join(' ');
  const item = (colour: string, text: string, dashes?: readonly number[]) => (
    <li className="wf-sensor__keyitem">
      <svg width="22" height="8" aria-hidden="true">
        <line
          x1="0"
          y1="4"
          x2="22"
          y2="4"
          stroke={colour}
          strokeWidth="2"
          strokeDasharray={dashes ? dash(dashes) : undefined}
        />
      </svg>
      {text}
    </li>
  );
  return (
    <ul className="wf-sensor__key">
      {item(CHART_COLOURS.reading, t('telemetry.panel.legendReading'))}
      {band && item(CHART_COLOURS.bandEdge, t('telemetry.panel.legendBand'))}
      {item(CHART_COLOURS.warning, t('telemetry.panel.legendWarning'), CHART_DASH.warning)}
      {item(CHART_COLOURS.alarm, t('telemetry.panel.legendAlarm'), CHART_DASH.alarm)}
      {prediction && item(CHART_COLOURS.projection, t('telemetry.panel.legendProjection'), CHART_DASH.projection)}
    </ul>
  );
}

/**
 * One sensor of the open asset: its value and level now (words, not only colour), a
 * predicted crossing in a sentence, the sensor's health when it is not OK, the levels,
 * and the chart. Keyed by asset, sensor and range by its parent.
 */
export function SensorCard({
  api,
  assetId,
  sensor,
  range,
}: {
  api: TelemetryApi;
  assetId: string;
  sensor: SensorKind;
  range: ChartRange;
}) {
  const { t, i18n } = useTranslation();
  const f = useFormats();
  const locale = i18n.language;
  const view = useSensorSeries(api, assetId, sensor, range);
  const state = useAppSelector((s) => selectSensorStateById(s, sensorId(assetId, sensor)));
  const levels = view.status === 'loaded' ? view.levels : null;
  const unit = view.status === 'loaded' ? view.unit : (state?.unit ?? '');
  const projection = useMemo(() => projectionOf(state, levels), [state, levels]);
  const series = view.status === 'loaded' ? view.series : null;
  const columns = useMemo(
    () => (series ? chartColumns(series, levels, projection) : null),
    [series, levels, projection],
  );
  const y = useMemo(() => (series ? yRange(series, levels, projection) : null), [series, levels, projection]);
  const timeFormat = useMemo(() => chartTimeFormat(locale, range === '7d'), [locale, range]);
  const prediction = usePredictionText(sensor, state);
  const name = t(`telemetry.sensor.${sensor}`);
  const titleId = `wf-sensor-${assetId}-${sensor}`;
  const value = state?.value ?? null;

  return (
    <article className="wf-sensor" data-sensor={sensor} aria-labelledby={titleId}>
      <header className="wf-sensor__head">
        <h3 id={titleId} className="wf-sensor__name">
          {name} <span className="wf-muted">{unit}</span>
        </h3>
        <div className="wf-sensor__now">
          <span className="wf-muted">{t('telemetry.panel.now')}</span>{' '}
          {value === null ? (
            <span className="wf-sensor__value wf-muted">{t('telemetry.panel.noReading')}</span>
          ) : (
            <strong className="wf-sensor__value">
              {formatReading(value, locale)} {unit}
            </strong>
          )}{' '}
          {state && <LevelBadge level={state.level} />}
          {state?.t != null && (
            <span className="wf-muted wf-sensor__time">
              {' '}
              {t('telemetry.panel.at', { time: f.time(new Date(state.t).toISOString()) })}
            </span>
          )}
        </div>
      </header>
      {prediction && (
        <p className={`wf-sensor__prediction wf-sensor__prediction--${state?.prediction?.level}`} role="status">
          {prediction}
        </p>
      )}
      {state && state.health !== 'ok' && <p className="wf-sensor__health">{t(`telemetry.health.${state.health}`)}</p>}
      {state?.slopePerMinute != null && (
        <p className="wf-sensor__trend wf-muted">
          {t('telemetry.panel.trend', {
            slope: `${state.slopePerMinute > 0 ? '+' : ''}${formatReading(state.slopePerMinute, locale)}`,
            unit,
          })}
        </p>
      )}
      {view.status === 'loaded' && <LevelsLine levels={levels} unit={unit} locale={locale} />}
      {view.status === 'loading' && <p className="wf-muted wf-sensor__status">{t('telemetry.panel.loading')}</p>}
      {view.status === 'failed' && (
        <p className="wf-error wf-sensor__status" role="alert">
          <ErrorSentence error={view.error} prefix={t('telemetry.panel.failed')} /> {t('telemetry.panel.retrying')}
        </p>
      )}
      {columns && y && series && (
        <>
          {series.t.length === 0 && <p className="wf-muted wf-sensor__status">{t('telemetry.panel.noData')}</p>}
          <TelemetryChart
            columns={columns}
            yRange={y}
            band={series.resolution === 'minute'}
            timeFormat={timeFormat}
            label={t('telemetry.panel.chart', { sensor: name, span: t(`telemetry.panel.rangeSpan.${range}`) })}
          />
          <ChartKey band={series.resolution === 'minute'} prediction={projection !== null} />
        </>
      )}
    </article>
  );
}
