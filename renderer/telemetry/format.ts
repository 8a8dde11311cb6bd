/**
 * Readings in the officer's language: as many decimals as the magnitude needs
 * (412 µε, 12.4 mm, 0.318 MPa), and chart times on a 24-hour clock.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();

export function decimalsFor(value: number): number {
  const a = Math.abs(value);
  if (a >= 100) return 0;
  if (a >= 10) return 1;
  if (a >= 1) return 2;
  return 3;
}

export function formatReading(value: number, locale: string): string {
  const digits = decimalsFor(value);
  const key = `${locale}|${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    numberFormats.set(key, f);
  }
  return f.format(value);
}

/** Axis labels: hours and minutes for an hour or a day, day and time for a week. */
export function chartTimeFormat(locale: string, week: boolean): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, {
    ...(week ? { month: '2-digit', day: '2-digit' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}
