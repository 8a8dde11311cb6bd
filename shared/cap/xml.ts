import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { issue, type CapIssue } from './verdict';

/**
 * Hardened XML reading for intake. Every message comes from outside the city's network, so:
 * no DTD at all (a DOCTYPE or ENTITY declaration rejects the message before parsing),
 * no entity expansion beyond the five predefined entities and character references
 * (decoded here, not by the parser), a byte limit, an element-count limit and a nesting
 * limit. Nothing here can open a file or a URL: this module imports no I/O at all.
 */

export interface XmlLimits {
  /** Largest accepted message in bytes. Default 2 MiB. */
  maxBytes?: number;
  /** Largest number of start tags. Default 200 000. */
  maxElements?: number;
  /** Deepest element nesting. Default 64. */
  maxDepth?: number;
  /** Most attributes (counted as `="` / `='`). Default 20 000. */
  maxAttributes?: number;
}

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
const DEFAULT_MAX_ELEMENTS = 200_000;
const DEFAULT_MAX_DEPTH = 64;
const DEFAULT_MAX_ATTRIBUTES = 20_000;

export interface XmlElement {
  /** Qualified name as written, e.g. `cap:alert`. */
  readonly name: string;
  readonly local: string;
  /** Resolved namespace URI ('' when none). */
  readonly ns: string;
  /** Attributes by qualified name, values decoded. Namespace declarations are kept out. */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}
export type XmlNode = XmlElement | string;

export class XmlRejected extends Error {
  constructor(readonly issue: CapIssue) {
    super(issue.message);
  }
}

// TextDecoder is in every JS runtime we target (Node, Electron, browsers), but `shared/` is
// compiled without DOM or Node typings; declare only what we use, locally, so no global
// type leaks into the other projects.
interface TextDecoderLike {
  decode(input: Uint8Array): string;
}
type TextDecoderCtor = new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => TextDecoderLike;
const TextDecoderImpl = (globalThis as unknown as { TextDecoder: TextDecoderCtor }).TextDecoder;

export interface DecodedText {
  text: string;
  warnings: CapIssue[];
}

const ASCII_DECL = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/;

/** Bytes → string following the BOM and the XML declaration's encoding (XML 1.0 §4.3.3, Appendix F). */
export function decodeXmlBytes(bytes: Uint8Array, limits: XmlLimits = {}): DecodedText {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) {
    throw new XmlRejected(
      issue('MESSAGE_TOO_LARGE', `Message is ${bytes.length} bytes; the limit is ${maxBytes}. Ask the sender to link large resources instead of inlining them.`),
    );
  }
  const warnings: CapIssue[] = [];
  let body = bytes;
  let bomEncoding: string | null = null;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    body = bytes.subarray(3);
    bomEncoding = 'utf-8';
    warnings.push(issue('BOM_STRIPPED', 'The message starts with a UTF-8 byte-order mark; it was removed before parsing.'));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    body = bytes.subarray(2);
    bomEncoding = 'utf-16be';
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    body = bytes.subarray(2);
    bomEncoding = 'utf-16le';
  }
  if (bomEncoding === 'utf-16be' || bomEncoding === 'utf-16le') {
    warnings.push(issue('ENCODING_NOT_UTF8', `The message is encoded as ${bomEncoding.toUpperCase()}; it was decoded accordingly.`));
    return { text: new TextDecoderImpl(bomEncoding).decode(body), warnings };
  }

  // The declaration is ASCII-compatible in every encoding we accept; read it as Latin-1.
  let head = '';
  for (let i = 0; i < Math.min(body.length, 256); i++) head += String.fromCharCode(body[i]!);
  const declared = ASCII_DECL.exec(head)?.[1]?.toLowerCase() ?? null;
  const label = declared ?? bomEncoding ?? 'utf-8';

  if (label === 'utf-8' || label === 'utf8' || label === 'us-ascii' || label === 'ascii') {
    try {
      return { text: new TextDecoderImpl('utf-8', { fatal: true, ignoreBOM: true }).decode(body), warnings };
    } catch {
      // Seen in the wild (Pelmorex feeds): declared UTF-8, written in Latin-1/windows-1252.
      warnings.push(
        issue('ENCODING_MISMATCH', `The message declares ${declared ?? 'UTF-8'} but is not valid UTF-8; it was decoded as windows-1252 (Latin-1).`),
      );
      return { text: new TextDecoderImpl('windows-1252').decode(body), warnings };
    }
  }
  let decoder: TextDecoderLike;
  try {
    decoder = new TextDecoderImpl(label, { fatal: true });
  } catch {
    throw new XmlRejected(issue('UNSUPPORTED_ENCODING', `The message declares encoding "${declared}", which this console cannot decode.`));
  }
  warnings.push(issue('ENCODING_NOT_UTF8', `The message is encoded as ${declared}; it was decoded accordingly (CAP recommends UTF-8).`));
  try {
    return { text: decoder.decode(body), warnings };
  } catch {
    throw new XmlRejected(issue('XML_MALFORMED', `The message's bytes are not valid ${declared}.`));
  }
}

const DTD = /<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded by decodeEntities() below; the parser never expands anything.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
  ignorePiTags: true,
  ignoreDeclaration: true,
  maxNestedTags: DEFAULT_MAX_DEPTH,
});

/** Parse XML text into an element tree with resolved namespaces. Throws XmlRejected. */
export function parseXml(text: string, limits: XmlLimits = {}): XmlElement {
  if (DTD.test(text)) {
    throw new XmlRejected(
      issue('XML_DTD_FORBIDDEN', 'The message contains a DTD (<!DOCTYPE>/<!ENTITY>); DTDs and entity declarations are refused to prevent XXE and entity-expansion attacks.'),
    );
  }
  const maxElements = limits.maxElements ?? DEFAULT_MAX_ELEMENTS;
  let tags = 0;
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x2f /* / */ || next === 0x21 /* ! */ || next === 0x3f /* ? */) continue;
    if (++tags > maxElements) {
      throw new XmlRejected(issue('XML_TOO_COMPLEX', `The message has more than ${maxElements} elements.`));
    }
  }
  // Attribute values are always quoted; an upper bound on attributes without parsing. CAP,
  // EDXL-DE and feeds carry a handful; hundreds of thousands only make the parser slow.
  const maxAttributes = limits.maxAttributes ?? DEFAULT_MAX_ATTRIBUTES;
  let attributes = 0;
  for (const _ of text.matchAll(/=\s*["']/g)) {
    if (++attributes > maxAttributes) {
      throw new XmlRejected(issue('XML_TOO_COMPLEX', `The message has more than ${maxAttributes} attributes.`));
    }
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    throw new XmlRejected(issue('XML_MALFORMED', `Not well-formed XML at line ${valid.err.line}: ${valid.err.msg}`));
  }
  let raw: unknown;
  try {
    raw = parser.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/nest/i.test(msg)) throw new XmlRejected(issue('XML_TOO_COMPLEX', `The message nests elements too deeply: ${msg}`));
    throw new XmlRejected(issue('XML_MALFORMED', `Not well-formed XML: ${msg}`));
  }
  const roots = convert(raw, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), 0, limits.maxDepth ?? DEFAULT_MAX_DEPTH)
    .filter((n): n is XmlElement => typeof n !== 'string');
  if (roots.length !== 1) {
    throw new XmlRejected(issue('XML_MALFORMED', `Expected exactly one root element, found ${roots.length}.`));
  }
  return roots[0]!;
}

type RawNode = Record<string, unknown>;

function convert(raw: unknown, scope: ReadonlyMap<string, string>, depth: number, maxDepth: number): XmlNode[] {
  if (depth > maxDepth) throw new XmlRejected(issue('XML_TOO_COMPLEX', `The message nests elements deeper than ${maxDepth} levels.`));
  if (!Array.isArray(raw)) return [];
  const out: XmlNode[] = [];
  for (const node of raw as RawNode[]) {
    const key = Object.keys(node).find((k) => k !== ':@');
    if (key === undefined || key === '#comment' || key.startsWith('?')) continue;
    if (key === '#text') {
      out.push(decodeEntities(String(node[key])));
      continue;
    }
    if (key === '#cdata') {
      const inner = node[key] as RawNode[];
      out.push(inner.map((t) => String(t['#text'] ?? '')).join(''));
      continue;
    }
    const rawAttrs = (node[':@'] ?? {}) as Record<string, unknown>;
    let childScope = scope;
    const attrs: Record<string, string> = {};
    for (const [name, value] of Object.entries(rawAttrs)) {
      const v = decodeEntities(String(value));
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        if (childScope === scope) childScope = new Map(scope);
        (childScope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), v);
      } else {
        attrs[name] = v;
      }
    }
    const colon = key.indexOf(':');
    const prefix = colon === -1 ? '' : key.slice(0, colon);
    const local = colon === -1 ? key : key.slice(colon + 1);
    const ns = childScope.get(prefix);
    if (ns === undefined && prefix !== '') {
      throw new XmlRejected(issue('XML_MALFORMED', `Element <${key}> uses the undeclared namespace prefix "${prefix}".`));
    }
    out.push({ name: key, local, ns: ns ?? '', attrs, children: convert(node[key], childScope, depth + 1, maxDepth) });
  }
  return out;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references; anything else is an error (no DTD, so nothing else can be defined). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^;&\s<]{0,32});?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new XmlRejected(issue('XML_MALFORMED', `A bare "&" appears in text near "${whole.slice(0, 20)}"; it must be written &amp;.`));
    if (ref.startsWith('#')) {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      const ok = Number.isInteger(cp) && (cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff));
      if (!ok || !/^#(x[0-9a-fA-F]+|[0-9]+)$/.test(ref)) {
        throw new XmlRejected(issue('XML_MALFORMED', `Invalid character reference &${ref};`));
      }
      return String.fromCodePoint(cp);
    }
    const v = PREDEFINED[ref];
    if (v === undefined) {
      throw new XmlRejected(issue('XML_UNDEFINED_ENTITY', `The message uses the undefined entity &${ref}; only the five predefined XML entities are allowed.`));
    }
    return v;
  });
}

// ---- tree helpers -------------------------------------------------------------------------

export const isElement = (n: XmlNode): n is XmlElement => typeof n !== 'string';
export const elementChildren = (el: XmlElement): XmlElement[] => el.children.filter(isElement);
/** Concatenated text content of the element's direct text children. */
export const ownText = (el: XmlElement): string => el.children.filter((n): n is string => typeof n === 'string').join('');
/** Text of the element and all its descendants. */
export function deepText(el: XmlElement): string {
  return el.children.map((n) => (typeof n === 'string' ? n : deepText(n))).join('');
}

export function* descendants(el: XmlElement): Generator<XmlElement> {
  for (const c of el.children) {
    if (typeof c !== 'string') {
      yield c;
      yield* descendants(c);
    }
  }
}

const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
const escAttr = (s: string) => escText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');

/**
 * Serialise an element subtree as a standalone UTF-8 document, declaring each element's
 * namespace as the default namespace where it changes. Used to schema-check one alert out of
 * an envelope, a wrapper or a feed. Prefixed attributes (xsi:…) are dropped except xml:*.
 */
export function serializeElement(el: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${write(el, null)}\n`;
}

function write(el: XmlElement, parentNs: string | null): string {
  let s = `<${el.local}`;
  if (el.ns !== parentNs) s += ` xmlns="${escAttr(el.ns)}"`;
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k.includes(':') && !k.startsWith('xml:')) continue;
    s += ` ${k}="${escAttr(v)}"`;
  }
  if (el.children.length === 0) return `${s}/>`;
  s += '>';
  for (const c of el.children) s += typeof c === 'string' ? escText(c) : write(c, el.ns);
  return `${s}</${el.local}>`;
}
