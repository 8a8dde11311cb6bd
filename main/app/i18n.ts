import en from '../../renderer/i18n/en.json';
import zhCN from '../../renderer/i18n/zh-CN.json';

/**
 * The shell's own words (menu, About, the key dialogs): the `desktop` namespace of the
 * renderer's en and zh-CN catalogues, bundled into main by esbuild, so one file per
 * language holds every sentence an officer sees. Main cannot read the officer's in-app
 * language choice (it lives in the page), so the shell follows the operating system's
 * preferred languages: Chinese if it comes before English, else English.
 */

export type DesktopLanguage = 'en' | 'zh-CN';
export type Translate = (key: string, vars?: Readonly<Record<string, string>>) => string;

const catalogues: Readonly<Record<DesktopLanguage, unknown>> = {
  en: (en as { desktop?: unknown }).desktop,
  'zh-CN': (zhCN as { desktop?: unknown }).desktop,
};

/** `app.getPreferredSystemLanguages()` → the first of ours it names, else English. */
export function desktopLanguage(preferred: readonly string[]): DesktopLanguage {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

function lookup(catalogue: unknown, key: string): string | null {
  let node: unknown = catalogue;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return null;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : null;
}

/** `t('menu.quit')` reads `desktop.menu.quit`; falls back to English, then to the key itself. */
export function desktopTranslator(language: DesktopLanguage): Translate {
  return (key, vars = {}) => {
    const text = lookup(catalogues[language], key) ?? lookup(catalogues.en, key) ?? key;
    return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
  };
}
