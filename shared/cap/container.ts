import type { CapEntryVerdict, CapIssue } from './verdict';
import type { XmlElement } from './xml';

/** What a container reader (wrapper, EDXL-DE, Atom, RSS) hands back to the document reader. */
export interface ContainerResult {
  errors: CapIssue[];
  warnings: CapIssue[];
  /** `element` is the CAP alert element, when there is one, so the hub can schema-check it. */
  entries: { element?: XmlElement; verdict: CapEntryVerdict }[];
}
