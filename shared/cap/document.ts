import { capVersionOf, isCapAlertElement, mapCapAlertElement } from './alert';
import type { ContainerResult } from './container';
import { isEdxlDistribution, readEdxlDistribution } from './edxl';
import { isAtomFeed, isRssFeed, readAtomFeed, readRssFeed } from './feeds';
import { usgsFeedToAlerts } from './usgs';
import { issue, type CapDocumentFormat, type CapDocumentVerdict, type CapIssue, type CapVerdict } from './verdict';
import { decodeXmlBytes, elementChildren, parseXml, XmlRejected, type XmlElement, type XmlLimits } from './xml';

export type CapParseOptions = XmlLimits;

export interface ParsedCapDocument {
  verdict: CapDocumentVerdict;
  /** The CAP `<alert>` element behind each entry (same index), for schema validation. */
  alertElements: (XmlElement | undefined)[];
}

const rejected = (format: CapDocumentFormat, errors: CapIssue[], warnings: CapIssue[] = []): ParsedCapDocument => ({
  verdict: { format, accepted: false, errors, warnings, entries: [] },
  alertElements: [],
});

/**
 * Read any document intake accepts — a CAP alert (1.0/1.1/1.2), a non-standard `<alerts>`
 * wrapper, an EDXL-DE 1.0 envelope, an Atom or RSS CAP feed, a USGS GeoJSON summary feed —
 * and apply every rule that does not need the XML schema. Never throws.
 */
export function parseCapDocument(bytes: Uint8Array, options: CapParseOptions = {}): ParsedCapDocument {
  try {
    return parseOrThrow(bytes, options);
  } catch (e) {
    if (e instanceof XmlRejected) return rejected('unknown', [e.issue]);
    // Any other failure is a bug, but intake must still answer with a verdict.
    return rejected('unknown', [issue('XML_MALFORMED', `The message could not be read: ${e instanceof Error ? e.message : String(e)}`)]);
  }
}

function parseOrThrow(bytes: Uint8Array, options: CapParseOptions): ParsedCapDocument {
  const { text, warnings } = decodeXmlBytes(bytes, options);
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[') || start.startsWith('eqfeed_callback')) {
    return readJson(start, warnings);
  }
  const root = parseXml(text, options);

  let format: CapDocumentFormat;
  let result: ContainerResult;
  if (isCapAlertElement(root)) {
    format = 'cap';
    result = { errors: [], warnings: [], entries: [{ element: root, verdict: { ...mapCapAlertElement(root), index: 0 } }] };
  } else if (root.local === 'alerts' && capVersionOf(root) !== undefined) {
    format = 'cap-wrapper';
    result = readWrapper(root);
  } else if (isEdxlDistribution(root)) {
    format = 'edxl-de';
    result = readEdxlDistribution(root);
  } else if (isAtomFeed(root)) {
    format = 'atom';
    result = readAtomFeed(root);
  } else if (isRssFeed(root)) {
    format = 'rss';
    result = readRssFeed(root);
  } else if (root.local === 'alert') {
    return rejected('unknown', [issue('CAP_NAMESPACE_UNKNOWN', `<alert> is in namespace "${root.ns}", which is not CAP 1.0, 1.1 or 1.2.`)], warnings);
  } else {
    return rejected('unknown', [issue('NOT_CAP', `The root element <${root.name}> (namespace "${root.ns}") is not a CAP alert, an EDXL-DE envelope or a CAP feed.`)], warnings);
  }
  const errors = result.errors;
  const docWarnings = [...warnings, ...result.warnings];
  const entries = result.entries.map((e) => e.verdict);
  return {
    verdict: { format, accepted: errors.length === 0 && entries.every((e) => e.accepted), errors, warnings: docWarnings, entries },
    alertElements: result.entries.map((e) => e.element),
  };
}

/** SMHI wraps many alerts in a non-standard `<alerts>` root in the CAP namespace. */
function readWrapper(root: XmlElement): ContainerResult {
  const alerts = elementChildren(root).filter(isCapAlertElement);
  const others = elementChildren(root).length - alerts.length;
  const warnings = [issue('NONSTANDARD_WRAPPER', `The alerts are wrapped in a non-standard <${root.local}> root; each of the ${alerts.length} <alert> elements is read as its own message.`)];
  const errors = others > 0 ? [issue('UNEXPECTED_ELEMENT', `The <${root.local}> wrapper holds ${others} element(s) that are not CAP alerts.`)] : [];
  return { errors, warnings, entries: alerts.map((a, index) => ({ element: a, verdict: { ...mapCapAlertElement(a), index } })) };
}

function readJson(text: string, warnings: CapIssue[]): ParsedCapDocument {
  let body = text.trim();
  if (body.startsWith('eqfeed_callback')) {
    // GeoJSONP variant of the same feed.
    const open = body.indexOf('(');
    const close = body.lastIndexOf(')');
    body = open === -1 || close < open ? '' : body.slice(open + 1, close);
    warnings = [...warnings, issue('USGS_JSONP_STRIPPED', 'The feed is GeoJSONP; the eqfeed_callback(...) wrapper was removed.')];
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    return rejected('unknown', [issue('JSON_MALFORMED', `Not valid JSON: ${e instanceof Error ? e.message : String(e)}`)], warnings);
  }
  const verdict = usgsFeedToAlerts(json);
  return { verdict: { ...verdict, warnings: [...warnings, ...verdict.warnings] }, alertElements: verdict.entries.map(() => undefined) };
}

/**
 * One CAP message (an `<alert>` root) → its verdict, by the §3 rules only (no schema).
 * Envelopes, wrappers and feeds are refused here with NOT_CAP: use parseCapDocument.
 */
export function parseCapBytes(bytes: Uint8Array, options: CapParseOptions = {}): CapVerdict {
  const { verdict } = parseCapDocument(bytes, options);
  if (verdict.format === 'cap' && verdict.entries.length === 1) {
    const { index: _index, ...entry } = verdict.entries[0]!;
    return { ...entry, warnings: [...verdict.warnings, ...entry.warnings] };
  }
  const errors = verdict.errors.length > 0 ? verdict.errors : [issue('NOT_CAP', `The document is a ${verdict.format} document, not a single CAP message.`)];
  return { accepted: false, version: null, errors, warnings: verdict.warnings };
}
