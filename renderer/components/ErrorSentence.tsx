import { useTranslation } from 'react-i18next';
import type { AppError } from '../../shared/errors';

/**
 * An error from the console host, as a sentence the officer can act on: what it
 * means in their language (by code), then the host's own words.
 */
export function ErrorSentence({ error, prefix }: { error: AppError; prefix?: string }) {
  const { t } = useTranslation();
  const meaning = t(`errors.${error.code}`, { defaultValue: '' });
  const detail = error.message && error.message !== meaning ? error.message : '';
  return (
    <span className="wf-error-sentence">
      {prefix ? `${prefix} ` : ''}
      {meaning}
      {detail ? ` ${detail}` : ''}
    </span>
  );
}
