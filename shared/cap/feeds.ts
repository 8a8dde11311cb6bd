import { isCapAlertElement, mapCapAlertElement } from './alert';
import type { ContainerResult } from './container';
import { issue, type CapEntryVerdict, type CapIssue } from './verdict';
import { descendants, elementChildren, ownText, type XmlElement } from './xml';

/**
 * Atom (RFC 4287) and RSS 2.0 CAP feeds: "fat" feeds embed `<alert>` in each entry, index
 * ("thin") feeds link to the CAP document. Each entry becomes one verdict; a link-only entry
 * is accepted with FEED_ENTRY_LINK_ONLY and its `link`, for the hub to fetch and validate.
 */

export const ATOM_NS = 'http://www.w3.org/2005/Atom';

export const isAtomFeed = (el: XmlElement) => el.local === 'feed' && el.ns === ATOM_NS;
export const isRssFeed = (el: XmlElement) => el.local === 'rss' && el.ns === '';

const ATOM_FEED_CHILDREN = new Set(['author', 'category', 'contributor', 'generator', 'icon', 'id', 'link', 'logo', 'rights', 'subtitle', 'title', 'updated', 'entry']);
const ATOM_ENTRY_CHILDREN = new Set(['author', 'category', 'content', 'contributor', 'id', 'link', 'published', 'rights', 'source', 'summary', 'title', 'updated']);
const CAP_MIME = /^application\/(cap\+xml|xml)$/i;

const text = (el: XmlElement | undefined) => (el === undefined ? undefined : ownText(el).trim());

function entryVerdict(index: number, errors: CapIssue[], warnings: CapIssue[], extra: Partial<CapEntryVerdict> = {}): CapEntryVerdict {
  return { accepted: errors.length === 0, version: null, errors, warnings, index, ...extra };
}

/** Embedded CAP first, else the link to the CAP document. */
function capOfEntry(
  payload: XmlElement | undefined,
  index: number,
  entryId: string | undefined,
  containerErrors: CapIssue[],
  link: string | undefined,
  warnings: CapIssue[],
): ContainerResult['entries'][number] {
  const alert = payload === undefined ? undefined : [...descendants(payload)].find(isCapAlertElement);
  const idPart = entryId ? { entryId } : {};
  if (alert !== undefined) {
    const v = mapCapAlertElement(alert);
    const errors = [...containerErrors, ...v.errors];
    return { element: alert, verdict: { ...v, accepted: v.accepted && errors.length === 0, errors, warnings: [...warnings, ...v.warnings], index, ...idPart } };
  }
  if (link !== undefined) {
    return {
      verdict: entryVerdict(index, containerErrors, [...warnings, issue('FEED_ENTRY_LINK_ONLY', `The entry links to its CAP message (${link.slice(0, 200)}); fetch it to validate the alert.`)], { link, ...idPart }),
    };
  }
  return { verdict: entryVerdict(index, [...containerErrors, issue('FEED_ENTRY_NO_CAP', 'The entry neither embeds a CAP alert nor links to one.')], warnings, idPart) };
}

export function readAtomFeed(root: XmlElement): ContainerResult {
  const errors: CapIssue[] = [];
  const warnings: CapIssue[] = [];
  const kids = elementChildren(root);
  const atom = (list: XmlElement[], name: string) => list.filter((e) => e.ns === ATOM_NS && e.local === name);
  for (const k of kids) {
    if (k.ns === ATOM_NS && !ATOM_FEED_CHILDREN.has(k.local)) errors.push(issue('FEED_UNEXPECTED_ELEMENT', `<${k.local}> is not an Atom feed element.`));
    else if (k.ns !== ATOM_NS && isCapAlertElement(k)) warnings.push(issue('FEED_FOREIGN_MARKUP_IGNORED', 'A CAP <alert> sits directly under <feed>, outside any <entry>; it is foreign markup and is ignored.'));
  }
  if (!text(atom(kids, 'id')[0])) errors.push(issue('FEED_MISSING_ID', 'The Atom feed has no <id>.'));
  if (atom(kids, 'title')[0] === undefined) errors.push(issue('FEED_MISSING_TITLE', 'The Atom feed has no <title>.'));
  if (!text(atom(kids, 'updated')[0])) errors.push(issue('FEED_MISSING_UPDATED', 'The Atom feed has no <updated>.'));

  const entries: ContainerResult['entries'] = [];
  for (const entry of atom(kids, 'entry')) {
    const ek = elementChildren(entry);
    const entryErrors: CapIssue[] = [];
    for (const k of ek) {
      if (k.ns === ATOM_NS && !ATOM_ENTRY_CHILDREN.has(k.local)) entryErrors.push(issue('FEED_UNEXPECTED_ELEMENT', `<${k.local}> is not an Atom entry element.`));
    }
    const id = text(atom(ek, 'id')[0]);
    if (!id) entryErrors.push(issue('FEED_MISSING_ID', 'The entry has no <id>.'));
    if (atom(ek, 'title')[0] === undefined) entryErrors.push(issue('FEED_MISSING_TITLE', 'The entry has no <title>.'));
    if (!text(atom(ek, 'updated')[0])) entryErrors.push(issue('FEED_MISSING_UPDATED', 'The entry has no <updated>.'));
    const links = atom(ek, 'link').filter((l) => l.attrs['href']);
    const capLink = links.find((l) => CAP_MIME.test(l.attrs['type'] ?? '')) ?? links.find((l) => (l.attrs['rel'] ?? 'alternate') === 'alternate');
    const content = atom(ek, 'content')[0];
    const hasContent = content !== undefined && (elementChildren(content).length > 0 || ownText(content).trim() !== '' || content.attrs['src'] !== undefined);
    if (!hasContent && !links.some((l) => (l.attrs['rel'] ?? 'alternate') === 'alternate')) {
      // RFC 4287 §4.1.1: an entry without content must have an alternate link.
      entryErrors.push(issue('FEED_MISSING_LINK', 'The entry has neither <content> nor <link rel="alternate">.'));
    }
    // Only <content> carries an embedded message; an <alert> elsewhere in the entry is
    // foreign markup (NWS puts a summary-only pseudo-alert there) and is ignored.
    const stray = ek.some((k) => k.ns !== ATOM_NS && isCapAlertElement(k));
    const entryWarnings = stray
      ? [issue('FEED_FOREIGN_MARKUP_IGNORED', 'The entry holds a CAP <alert> outside <content> (an index summary, not the message); it is ignored.')]
      : [];
    entries.push(capOfEntry(content, entries.length, id, entryErrors, capLink?.attrs['href'], entryWarnings));
  }
  if (entries.length === 0) warnings.push(issue('FEED_EMPTY', 'The feed has no entries.'));
  return { errors, warnings, entries };
}

export function readRssFeed(root: XmlElement): ContainerResult {
  const errors: CapIssue[] = [];
  const warnings: CapIssue[] = [];
  const channel = elementChildren(root).find((e) => e.ns === '' && e.local === 'channel');
  if (channel === undefined) {
    return { errors: [issue('FEED_MISSING_TITLE', 'The RSS document has no <channel>.')], warnings, entries: [] };
  }
  const ck = elementChildren(channel).filter((e) => e.ns === '');
  const get = (list: XmlElement[], name: string) => list.find((e) => e.local === name);
  if (!text(get(ck, 'title'))) errors.push(issue('FEED_MISSING_TITLE', 'The RSS channel has no <title>.'));
  if (!text(get(ck, 'link'))) errors.push(issue('FEED_MISSING_LINK', 'The RSS channel has no <link>.'));
  if (!text(get(ck, 'description'))) errors.push(issue('FEED_MISSING_DESCRIPTION', 'The RSS channel has no <description>.'));
  const entries: ContainerResult['entries'] = [];
  for (const item of ck.filter((e) => e.local === 'item')) {
    const ik = elementChildren(item);
    const itemErrors: CapIssue[] = [];
    // RSS 2.0: "All elements of an item are optional, however at least one of title or description must be present."
    if (!text(get(ik, 'title')) && !text(get(ik, 'description'))) {
      itemErrors.push(issue('FEED_MISSING_TITLE', 'The RSS item has neither <title> nor <description>.'));
    }
    const enclosure = ik.find((e) => e.local === 'enclosure' && CAP_MIME.test(e.attrs['type'] ?? '') && e.attrs['url']);
    const link = enclosure?.attrs['url'] ?? text(get(ik, 'link')) ?? undefined;
    const guid = text(get(ik, 'guid'));
    entries.push(capOfEntry(item, entries.length, guid, itemErrors, link || undefined, []));
  }
  if (entries.length === 0) warnings.push(issue('FEED_EMPTY', 'The feed has no items.'));
  return { errors, warnings, entries };
}
