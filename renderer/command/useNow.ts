import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The wall clock for ages, times in status and overdue marks, ticking every `everyMs`.
 * Each board asks once and hands the value down, so one tick re-renders each board once.
 */
export function useNow(everyMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "45 s", "12 min", "3 h 05 min", "2 d 4 h": how long since `iso`, in the officer's language. */
export function useDuration(): (iso: string, nowMs: number) => string {
  const { t } = useTranslation();
  return (iso, nowMs) => {
    const since = Date.parse(iso);
    if (!Number.isFinite(since)) return '';
    const s = Math.max(0, Math.floor((nowMs - since) / 1000));
    if (s < 60) return t('response.age.s', { s });
    const m = Math.floor(s / 60);
    if (m < 60) return t('response.age.m', { m });
    const h = Math.floor(m / 60);
    if (h < 48) return t('response.age.hm', { h, m: String(m % 60).padStart(2, '0') });
    return t('response.age.dh', { d: Math.floor(h / 24), h: h % 24 });
  };
}
