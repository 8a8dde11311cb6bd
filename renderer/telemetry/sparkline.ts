/**
 * Sparklines for asset lists: at most 60 values (the last hour) on a small canvas.
 * The scaling is pure and tested; drawing is a handful of canvas calls.
 */

export interface SparkBox {
  readonly width: number;
  readonly height: number;
  /** room kept at the top and bottom so the line's stroke is not clipped */
  readonly pad: number;
}

/**
 * Canvas points for the values, oldest left. Non-finite values are skipped (a gap
 * in the hour is not a zero); a flat hour is a line through the middle; one value
 * is a flat line across.
 */
export function sparklinePoints(values: readonly number[], box: SparkBox): Array<[number, number]> {
  const finite: Array<[number, number]> = [];
  values.forEach((v, i) => {
    if (Number.isFinite(v)) finite.push([i, v]);
  });
  if (finite.length === 0) return [];
  const inner = Math.max(0, box.height - 2 * box.pad);
  if (finite.length === 1) {
    const y = box.pad + inner / 2;
    return [
      [0, y],
      [box.width, y],
    ];
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, v] of finite) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const lastIndex = Math.max(1, values.length - 1);
  return finite.map(([i, v]) => {
    const x = (i / lastIndex) * box.width;
    const y = hi === lo ? box.pad + inner / 2 : box.pad + (1 - (v - lo) / (hi - lo)) * inner;
    return [x, y];
  });
}

/** The little of CanvasRenderingContext2D a sparkline needs (a test can pass a recorder). */
export interface SparkContext {
  clearRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
}

/** Draw the line on a canvas `box` CSS pixels large, already scaled for the device's pixel ratio. */
export function drawSparkline(ctx: SparkContext, values: readonly number[], box: SparkBox, colour: string): void {
  ctx.clearRect(0, 0, box.width, box.height);
  const points = sparklinePoints(values, box);
  if (points.length === 0) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.25;
  ctx.beginPath();
  points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.stroke();
}
