import { useEffect, useRef } from 'react';
import { drawSparkline } from './sparkline';

/** The last hour of one sensor on a small canvas, sharp on high-density screens. */
export function Sparkline({
  values,
  colour,
  label,
  width = 96,
  height = 24,
}: {
  values: readonly number[];
  colour: string;
  label: string;
  width?: number;
  height?: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawSparkline(ctx, values, { width, height, pad: 2 }, colour);
  }, [values, colour, width, height]);
  return <canvas ref={ref} className="wf-spark" style={{ width, height }} role="img" aria-label={label} />;
}
