import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import {
  issue,
  parseCapDocument,
  serializeElement,
  type CapDocumentVerdict,
  type CapEntryVerdict,
  type CapIssue,
  type CapParseOptions,
  type XmlElement,
} from '../../shared/cap/index';

/**
 * CAP 1.2 schema validation (OASIS CAP-v1.2.xsd) through libxml2 compiled to WebAssembly.
 * Lives in the hub, not in shared/, because it loads a WASM module and reads the schema file.
 *
 * What is validated is each alert element re-serialised on its own (see serializeElement):
 * the same check applies to a bare message, an alert inside an EDXL-DE envelope, a feed
 * entry or SMHI's wrapper, and libxml2 never sees the original bytes (no DTD, no encoding
 * surprises). Line numbers in XSD messages therefore refer to that re-serialisation.
 */

export const DEFAULT_CAP_XSD_PATH = fileURLToPath(new URL('../../assets/schemas/CAP-v1.2.xsd', import.meta.url));

export interface CapXsdValidator {
  /** Validate CAP 1.2 alert documents; one error list per document (empty = valid). */
  validate(documents: readonly string[]): Promise<CapIssue[][]>;
}

export interface CapXsdOptions {
  /** Path of CAP-v1.2.xsd; default: the vendored copy in assets/schemas. */
  schemaPath?: string;
  /** Give up on libxml2 after this long. Default 20 s. */
  timeoutMs?: number;
  /** At most this many schema errors per alert are reported. Default 20. */
  maxErrorsPerAlert?: number;
}

export function createCapXsdValidator(options: CapXsdOptions = {}): CapXsdValidator {
  const schemaText = readFileSync(options.schemaPath ?? DEFAULT_CAP_XSD_PATH, 'utf8');
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxErrors = options.maxErrorsPerAlert ?? 20;
  return {
    async validate(documents) {
      if (documents.length === 0) return [];
      const files = documents.map((contents, i) => ({ fileName: `alert-${i}.xml`, contents }));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`schema validation took longer than ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const result = await Promise.race([
          validateXML({ xml: files, schema: { fileName: 'CAP-v1.2.xsd', contents: schemaText } }),
          timeout,
        ]);
        const perFile: CapIssue[][] = documents.map(() => []);
        for (const e of result.errors) {
          const i = e.loc ? Number(/^alert-(\d+)\.xml$/.exec(e.loc.fileName)?.[1]) : NaN;
          const list = Number.isInteger(i) ? perFile[i] : undefined;
          const message = `CAP 1.2 schema: ${e.message.trim()}`;
          if (list === undefined) {
            // Unattributed output (e.g. "fails to validate" summaries) only matters if no file has errors.
            continue;
          }
          if (list.length < maxErrors)
            list.push(issue('XSD_INVALID', e.loc ? `line ${e.loc.lineNumber}: ${message}` : message));
        }
        if (!result.valid && perFile.every((l) => l.length === 0)) {
          perFile.forEach((l) =>
            l.push(issue('XSD_INVALID', `CAP 1.2 schema: ${result.rawOutput.trim().slice(0, 500)}`)),
          );
        }
        return perFile;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

let defaultValidator: CapXsdValidator | undefined;
/** The validator over the vendored schema, created on first use. */
export function defaultCapXsdValidator(): CapXsdValidator {
  defaultValidator ??= createCapXsdValidator();
  return defaultValidator;
}

export interface ValidateCapDocumentOptions extends CapParseOptions {
  /** Schema validator for CAP 1.2 alerts; `null` skips the schema step (rules only). Default: vendored schema. */
  xsd?: CapXsdValidator | null;
}

/**
 * The full intake verdict on one document (CAP message, EDXL-DE envelope, Atom/RSS feed,
 * USGS GeoJSON): the §3 rules from shared/cap plus, for every CAP 1.2 alert, the OASIS schema.
 * Conformance per CAP 1.2 §4.2 needs both. CAP 1.0/1.1 alerts get the rules only, and say so.
 */
export async function validateCapDocument(
  bytes: Uint8Array,
  options: ValidateCapDocumentOptions = {},
): Promise<CapDocumentVerdict> {
  const { xsd = defaultCapXsdValidator(), ...parseOptions } = options;
  const { verdict, alertElements } = parseCapDocument(bytes, parseOptions);
  const toCheck: { entry: CapEntryVerdict; element: XmlElement }[] = [];
  verdict.entries.forEach((entry, i) => {
    const element = alertElements[i];
    if (element === undefined || entry.version === null) return;
    if (entry.version !== '1.2') {
      entry.warnings.push(
        issue(
          'XSD_NOT_APPLICABLE',
          `CAP ${entry.version} is checked against the CAP §3 rules only; the schema step applies to CAP 1.2.`,
        ),
      );
      return;
    }
    toCheck.push({ entry, element });
  });
  if (toCheck.length > 0) {
    if (xsd === null) {
      toCheck.forEach(({ entry }) =>
        entry.warnings.push(
          issue('XSD_UNAVAILABLE', 'The CAP 1.2 schema step was skipped (no schema validator configured).'),
        ),
      );
    } else {
      let results: CapIssue[][] | undefined;
      let failure = '';
      try {
        results = await xsd.validate(toCheck.map(({ element }) => serializeElement(element)));
      } catch (e) {
        failure = e instanceof Error ? e.message : String(e);
      }
      toCheck.forEach(({ entry }, i) => {
        if (results === undefined) {
          entry.errors.push(
            issue('XSD_UNAVAILABLE', `The CAP 1.2 schema check could not run (${failure}); the alert is held back.`),
          );
        } else {
          entry.errors.push(...(results[i] ?? []));
        }
        if (entry.errors.length > 0) {
          entry.accepted = false;
          delete entry.alert;
        }
      });
    }
  }
  verdict.accepted = verdict.errors.length === 0 && verdict.entries.every((e) => e.accepted);
  return verdict;
}
