import { useTranslation } from 'react-i18next';
import { useMemo } from 'react';

/**
 * Dates and numbers in the active language, through Intl. Control rooms read a
 * 24-hour clock; the workstation's time zone is the room's.
 */
export interface Formats {
  /** 28/11/2026, 18:02:40 */
  dateTime(iso: string | undefined | null): string;
  /** 18:02:40 */
  time(iso: string | undefined | null): string;
  number(n: number): string;
}

const cache = new Map<string, Formats>();

export function formatsFor(locale: string): Formats {
  let f = cache.get(locale);
  if (f) return f;
  const dateTimeFmt = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const timeFmt = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const numberFmt = new Intl.NumberFormat(locale);
  const safe = (fmt: Intl.DateTimeFormat) => (iso: string | undefined | null) => {
    if (!iso) return '';
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? iso : fmt.format(ms);
  };
  f = { dateTime: safe(dateTimeFmt), time: safe(timeFmt), number: (n) => numberFmt.format(n) };
  cache.set(locale, f);
  return f;
}

export function useFormats(): Formats {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(() => formatsFor(locale), [locale]);
}
