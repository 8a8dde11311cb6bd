import type { CapAlert } from '../domain/cap';

/**
 * Stable codes of the CAP intake verdict. The table in docs/cap.md explains each one;
 * hub, CLI and console show them verbatim, so never rename a code — add a new one.
 */
export type CapIssueCode =
  // bytes and XML
  | 'MESSAGE_TOO_LARGE'
  | 'XML_TOO_COMPLEX'
  | 'XML_DTD_FORBIDDEN'
  | 'XML_MALFORMED'
  | 'XML_UNDEFINED_ENTITY'
  | 'UNSUPPORTED_ENCODING'
  | 'ENCODING_NOT_UTF8'
  | 'ENCODING_MISMATCH'
  | 'BOM_STRIPPED'
  | 'NOT_CAP'
  // CAP structure
  | 'CAP_NAMESPACE_UNKNOWN'
  | 'NONSTANDARD_WRAPPER'
  | 'MISSING_ELEMENT'
  | 'UNEXPECTED_ELEMENT'
  | 'DUPLICATE_ELEMENT'
  | 'ELEMENT_ORDER'
  | 'UNEXPECTED_TEXT'
  | 'EMPTY_ELEMENT'
  // CAP values (§3)
  | 'INVALID_ENUM'
  | 'INVALID_IDENTIFIER'
  | 'INVALID_SENDER'
  | 'INVALID_DATETIME'
  | 'INVALID_REFERENCES'
  | 'MISSING_REFERENCES'
  | 'CIRCULAR_REFERENCE'
  | 'POSTDATED_REFERENCE'
  | 'RESTRICTION_SCOPE_MISMATCH'
  | 'MISSING_RESTRICTION'
  | 'MISSING_ADDRESSES'
  | 'INVALID_POLYGON'
  | 'POLYGON_NOT_CLOSED'
  | 'EMPTY_POLYGON'
  | 'INVALID_CIRCLE'
  | 'INVALID_COORDINATES'
  | 'INVALID_ALTITUDE_CEILING'
  | 'INVALID_LANGUAGE'
  | 'INVALID_RESOURCE_SIZE'
  | 'INVALID_DEREF_URI'
  | 'INVALID_NUMBER'
  | 'INVALID_URI'
  | 'EMPTY_VALUE'
  | 'INVALID_VALUE_PAIR'
  | 'CERTAINTY_VERY_LIKELY_DEPRECATED'
  | 'MODEL_CONSTRAINT'
  // signatures and schema
  | 'SIGNATURE_NOT_VERIFIED'
  | 'SIGNATURE_OUTSIDE_SCHEMA'
  | 'XSD_INVALID'
  | 'XSD_NOT_APPLICABLE'
  | 'XSD_UNAVAILABLE'
  // EDXL-DE
  | 'EDXL_MISSING_ELEMENT'
  | 'EDXL_INVALID_VALUE'
  | 'EDXL_NON_CAP_CONTENT'
  | 'EDXL_NO_CAP'
  // Atom / RSS
  | 'FEED_MISSING_ID'
  | 'FEED_MISSING_TITLE'
  | 'FEED_MISSING_UPDATED'
  | 'FEED_MISSING_LINK'
  | 'FEED_MISSING_DESCRIPTION'
  | 'FEED_UNEXPECTED_ELEMENT'
  | 'FEED_EMPTY'
  | 'FEED_FOREIGN_MARKUP_IGNORED'
  | 'FEED_ENTRY_NO_CAP'
  | 'FEED_ENTRY_LINK_ONLY'
  // USGS GeoJSON
  | 'JSON_MALFORMED'
  | 'GEOJSON_INVALID'
  | 'USGS_FEATURE_INVALID'
  | 'USGS_NON_EARTHQUAKE'
  | 'USGS_EVENT_DELETED'
  | 'USGS_JSONP_STRIPPED';

export interface CapIssue {
  readonly code: CapIssueCode;
  readonly message: string;
}

export type CapVersion = '1.0' | '1.1' | '1.2';

/** The verdict on one CAP alert (or one alert-shaped entry of a feed or envelope). */
export interface CapVerdict {
  accepted: boolean;
  version: CapVersion | null;
  alert?: CapAlert;
  errors: CapIssue[];
  warnings: CapIssue[];
}

export type CapDocumentFormat = 'cap' | 'cap-wrapper' | 'edxl-de' | 'atom' | 'rss' | 'usgs-geojson' | 'unknown';

/** One alert found in a document: the alert itself, an envelope's content object, a feed entry, a USGS feature. */
export interface CapEntryVerdict extends CapVerdict {
  /** 0-based position among the alerts/entries of the document. */
  index: number;
  /** Feed entries that only link to a CAP document: where to fetch it. */
  link?: string;
  /** Feed entry id / EDXL-DE distribution id / USGS feature id, when the container names the entry. */
  entryId?: string;
}

/**
 * The verdict on a whole document. `accepted` is true only when the container is valid AND
 * every entry is accepted; each entry carries its own verdict, so a caller may still take
 * the accepted entries of a partly invalid envelope (as Google's validator does).
 */
export interface CapDocumentVerdict {
  format: CapDocumentFormat;
  accepted: boolean;
  errors: CapIssue[];
  warnings: CapIssue[];
  entries: CapEntryVerdict[];
}

export const issue = (code: CapIssueCode, message: string): CapIssue => ({ code, message });
