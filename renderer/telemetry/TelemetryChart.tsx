import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type uPlot from 'uplot';
import { assetStateColour } from '../map/styles';
import { SERIES_INDEX, type ChartColumns } from './chartModel';

/**
 * uPlot is loaded on first use (decision 0033): its own chunk, so the console's first
 * paint does not pay for it; every later chart reuses the same module.
 */
let loading: Promise<typeof uPlot> | null = null;
const loadUPlot = (): Promise<typeof uPlot> =>
  (loading ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default));

/** Chart colours on the dark theme (styles/app.css): the reading in the focus blue. */
export const CHART_COLOURS = {
  reading: '#7cc4ff',
  band: 'rgba(124, 196, 255, 0.18)',
  bandEdge: 'rgba(124, 196, 255, 0.35)',
  warning: assetStateColour.warning,
  alarm: assetStateColour.alarm,
  projection: '#f5f7fa',
  axis: '#8d9bad',
  grid: '#1b2531',
} as const;
/** Warning and alarm differ by dash too, not by colour alone. */
export const CHART_DASH = { warning: [8, 4], alarm: [2, 3], projection: [5, 4] } as const;

export interface TelemetryChartProps {
  columns: ChartColumns;
  yRange: [number, number];
  /** minute buckets: draw the min–max band */
  band: boolean;
  /** time labels: HH:mm, or day and time for a week */
  timeFormat: Intl.DateTimeFormat;
  /** what the chart shows, for screen readers (the canvas itself says nothing) */
  label: string;
  height?: number;
}

function options(
  width: number,
  height: number,
  band: boolean,
  timeFormat: Intl.DateTimeFormat,
  yRange: () => [number, number],
): uPlot.Options {
  const axis = {
    stroke: CHART_COLOURS.axis,
    grid: { stroke: CHART_COLOURS.grid, width: 1 },
    ticks: { stroke: CHART_COLOURS.grid, width: 1 },
    font: '11px system-ui, sans-serif',
  };
  const hidden = { show: false };
  return {
    width,
    height,
    ms: 1,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: true }, y: { range: () => yRange() } },
    axes: [
      {
        ...axis,
        // room for the longest label ("11/28 23:30" for a week): uPlot picks fewer ticks, never overlapping ones
        space: timeFormat.format(0).length * 7 + 24,
        values: (_u: uPlot, splits: number[]) => splits.map((v) => timeFormat.format(v)),
      },
      { ...axis, size: 54 },
    ],
    series: [
      {},
      { stroke: CHART_COLOURS.reading, width: 1.5, points: hidden },
      { stroke: band ? CHART_COLOURS.bandEdge : 'transparent', width: band ? 1 : 0, points: hidden },
      { stroke: band ? CHART_COLOURS.bandEdge : 'transparent', width: band ? 1 : 0, points: hidden },
      { stroke: CHART_COLOURS.warning, width: 1.5, dash: [...CHART_DASH.warning], points: hidden },
      { stroke: CHART_COLOURS.alarm, width: 1.5, dash: [...CHART_DASH.alarm], points: hidden },
      {
        stroke: CHART_COLOURS.projection,
        width: 2,
        dash: [...CHART_DASH.projection],
        spanGaps: true,
        points: { show: true, size: 5, fill: CHART_COLOURS.projection },
      },
    ],
    bands: band ? [{ series: [SERIES_INDEX.max, SERIES_INDEX.min], fill: CHART_COLOURS.band }] : [],
  };
}

/**
 * One sensor's chart on a canvas: the reading, the minute min–max band, the dashed
 * level lines and the projected trend to a predicted crossing. New columns are handed
 * to the same chart (setData), never a rebuilt one.
 */
export function TelemetryChart({ columns, yRange, band, timeFormat, label, height = 140 }: TelemetryChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<uPlot | null>(null);
  const latest = useRef({ columns, yRange });
  const [failed, setFailed] = useState(false);
  const { t } = useTranslation();

  useEffect(() => {
    latest.current = { columns, yRange };
    chartRef.current?.setData(columns as uPlot.AlignedData);
  }, [columns, yRange]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    let cancelled = false;
    let resize: ResizeObserver | null = null;
    loadUPlot()
      .then((UPlot) => {
        if (cancelled) return;
        const width = Math.max(120, host.clientWidth);
        const chart = new UPlot(
          options(width, height, band, timeFormat, () => latest.current.yRange),
          latest.current.columns as uPlot.AlignedData,
          host,
        );
        chartRef.current = chart;
        resize = new ResizeObserver(() => {
          const w = Math.max(120, host.clientWidth);
          if (w !== chart.width) chart.setSize({ width: w, height });
        });
        resize.observe(host);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      resize?.disconnect();
      chartRef.current?.destroy();
      chartRef.current = null;
    };
  }, [band, timeFormat, height]);

  return (
    <div className="wf-chart" role="img" aria-label={label} data-chart-failed={failed || undefined}>
      <div ref={hostRef} className="wf-chart__canvas" style={{ minHeight: failed ? 0 : height }} />
      {failed && <p className="wf-muted wf-sensor__status">{t('telemetry.panel.chartFailed')}</p>}
    </div>
  );
}
