import type { CapDocumentVerdict, CapIssue } from '../../shared/cap/index';

/** One line of `npm run cap -- validate`: the summary of one alert's verdict (see hub/cap-cli.ts). */
export interface CapCliLine {
  file: string;
  index: number | null;
  format: string;
  accepted: boolean;
  version: string | null;
  identifier: string | null;
  sender: string | null;
  sent: string | null;
  msgType: string | null;
  status: string | null;
  infos: number;
  areas: number;
  link?: string;
  errors: CapIssue[];
  warnings: CapIssue[];
}

/** The one line of a document that has no alert to summarise (no entries, or unreadable). */
export function documentLine(
  file: string,
  format: string,
  accepted: boolean,
  errors: CapIssue[],
  warnings: CapIssue[],
): CapCliLine {
  return {
    file,
    index: null,
    format,
    accepted,
    version: null,
    identifier: null,
    sender: null,
    sent: null,
    msgType: null,
    status: null,
    infos: 0,
    areas: 0,
    errors,
    warnings,
  };
}

export function verdictLines(file: string, verdict: CapDocumentVerdict): CapCliLine[] {
  const multi = verdict.format !== 'cap';
  if (verdict.entries.length === 0) {
    return [documentLine(file, verdict.format, verdict.accepted, verdict.errors, verdict.warnings)];
  }
  return verdict.entries.map((e) => {
    const a = e.alert;
    const line: CapCliLine = {
      file,
      index: multi ? e.index : null,
      format: verdict.format,
      accepted: e.accepted && verdict.errors.length === 0,
      version: e.version,
      identifier: a?.identifier ?? null,
      sender: a?.sender ?? null,
      sent: a?.sent ?? null,
      msgType: a?.msgType ?? null,
      status: a?.status ?? null,
      infos: a?.infos.length ?? 0,
      areas: a?.infos.reduce((n, i) => n + i.areas.length, 0) ?? 0,
      errors: [...verdict.errors, ...e.errors],
      warnings: [...verdict.warnings, ...e.warnings],
    };
    if (e.link !== undefined) line.link = e.link;
    return line;
  });
}
