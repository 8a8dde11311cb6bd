import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseCapBytes, parseCapDocument } from '../../shared/cap/index';
import { validateCapDocument } from '../../hub/intake/xsd';

/**
 * Hostile input: XXE, entity expansion, oversize and deeply nested messages must be rejected
 * with a code, quickly (the normal test timeout is the bound), and without touching a file.
 */

const enc = (s: string) => new TextEncoder().encode(s);
const NS = 'urn:oasis:names:tc:emergency:cap:1.2';
const body = (identifier: string) =>
  `<alert xmlns="${NS}"><identifier>${identifier}</identifier><sender>s@example.org</sender><sent>2024-01-01T00:00:00-00:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope></alert>`;

const XXE_FILE = `<?xml version="1.0"?>\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${body('&xxe;')}`;
const XXE_PARAM = `<?xml version="1.0"?>\n<!DOCTYPE alert [<!ENTITY % remote SYSTEM "http://localhost:8080/evil.dtd"> %remote;]>\n${body('x')}`;
const XXE_EXTERNAL_DTD = `<?xml version="1.0"?>\n<!DOCTYPE alert SYSTEM "file:///etc/passwd">\n${body('x')}`;
const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
${body('&lol9;')}`;
const LOWERCASE_DOCTYPE = `<!doctype alert [<!entity xxe SYSTEM "file:///etc/passwd">]>${body('&xxe;')}`;

const leaksPasswd = (v: unknown) => /root:|\/bin\/(ba)?sh|nologin/.test(JSON.stringify(v));

describe('hostile XML', () => {
  it.each([
    ['external entity (file:///etc/passwd)', XXE_FILE],
    ['external parameter entity (http://localhost)', XXE_PARAM],
    ['external DTD subset', XXE_EXTERNAL_DTD],
    ['billion laughs', BILLION_LAUGHS],
    ['lower-case doctype', LOWERCASE_DOCTYPE],
  ])('rejects %s with XML_DTD_FORBIDDEN, before parsing', async (_name, xml) => {
    const rules = parseCapBytes(enc(xml));
    expect(rules.accepted).toBe(false);
    expect(rules.errors.map((e) => e.code)).toEqual(['XML_DTD_FORBIDDEN']);
    expect(leaksPasswd(rules)).toBe(false);
    const full = await validateCapDocument(enc(xml));
    expect(full.accepted).toBe(false);
    expect(full.errors.map((e) => e.code)).toEqual(['XML_DTD_FORBIDDEN']);
    expect(leaksPasswd(full)).toBe(false);
  });

  it('rejects a DTD smuggled in UTF-16', () => {
    const s = XXE_FILE.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>');
    const bytes = new Uint8Array(2 + s.length * 2);
    bytes[0] = 0xff; bytes[1] = 0xfe;
    for (let i = 0; i < s.length; i++) { bytes[2 + 2 * i] = s.charCodeAt(i) & 0xff; bytes[3 + 2 * i] = s.charCodeAt(i) >> 8; }
    const v = parseCapBytes(bytes);
    expect(v.errors.map((e) => e.code)).toEqual(['XML_DTD_FORBIDDEN']);
  });

  it('rejects a reference to an undeclared entity (no DTD, nothing to expand)', () => {
    const v = parseCapBytes(enc(body('&xxe;')));
    expect(v.errors.map((e) => e.code)).toEqual(['XML_UNDEFINED_ENTITY']);
  });

  it('rejects XXE inside an EDXL-DE envelope and inside an Atom feed', () => {
    const edxl = `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0">&e;</EDXLDistribution>`;
    const atom = `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY e SYSTEM "file:///etc/passwd">]><feed xmlns="http://www.w3.org/2005/Atom"><id>&e;</id></feed>`;
    for (const xml of [edxl, atom]) {
      const { verdict } = parseCapDocument(enc(xml));
      expect(verdict.errors.map((e) => e.code)).toEqual(['XML_DTD_FORBIDDEN']);
      expect(leaksPasswd(verdict)).toBe(false);
    }
  });

  it('rejects a message over the size limit without parsing it (limit configurable)', () => {
    const big = body('x').replace('</alert>', `<note>${'a'.repeat(3 * 1024 * 1024)}</note></alert>`);
    expect(parseCapBytes(enc(big)).errors.map((e) => e.code)).toEqual(['MESSAGE_TOO_LARGE']);
    expect(parseCapBytes(enc(body('x')), { maxBytes: 100 }).errors.map((e) => e.code)).toEqual(['MESSAGE_TOO_LARGE']);
  });

  it('rejects absurd nesting and element counts quickly', () => {
    const deep = `${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}`;
    expect(['XML_TOO_COMPLEX', 'XML_MALFORMED']).toContain(parseCapBytes(enc(deep)).errors[0]?.code);
    const wide = `<alert xmlns="${NS}">${'<code/>'.repeat(250_000)}</alert>`;
    expect(parseCapBytes(enc(wide)).errors.map((e) => e.code)).toEqual(['XML_TOO_COMPLEX']);
  });

  it.each([
    ['300 000 repeated attributes', '<a ' + 'b="c" '.repeat(300_000) + '/>'],
    ['an unterminated 2 MB comment', '<a><!--' + '-'.repeat(2_000_000)],
    ['an unterminated 2 MB CDATA section', '<a><![CDATA[' + ']'.repeat(2_000_000)],
    ['an unterminated 2 MB attribute value', '<a b="' + '"'.repeat(2_000_000)],
    ['a 2 MB tag name', '<' + 'a'.repeat(2_000_000)],
    ['600 000 empty character references', '<a>' + '&#;'.repeat(600_000) + '</a>'],
  ])('answers %s with a rejection, not a hang', (_name, xml) => {
    const v = parseCapBytes(enc(xml));
    expect(v.accepted).toBe(false);
    expect(['XML_MALFORMED', 'XML_TOO_COMPLEX', 'MESSAGE_TOO_LARGE']).toContain(v.errors[0]?.code);
  });

  it('lists at most about a hundred issues for an alert that breaks a rule many times', () => {
    const polygons = '<polygon>1,1 2,2</polygon>'.repeat(5_000);
    const xml = body('x').replace('</alert>', `<info><category>Met</category><event>E</event><urgency>Past</urgency><severity>Minor</severity><certainty>Likely</certainty><area><areaDesc>a</areaDesc>${polygons}</area></info></alert>`);
    const v = parseCapBytes(enc(xml));
    expect(v.accepted).toBe(false);
    expect(v.errors.length).toBeLessThanOrEqual(101);
    expect(v.errors.at(-1)?.message).toMatch(/first 100/);
  });

  it('rejects malformed XML with a line number', () => {
    const v = parseCapBytes(enc(`<alert xmlns="${NS}">\n<identifier>x</sender></alert>`));
    expect(v.errors[0]?.code).toBe('XML_MALFORMED');
    expect(v.errors[0]?.message).toMatch(/line 2/);
  });

  it('the CLI rejects an XXE file, exits 1 and prints nothing from /etc/passwd', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cap-cli-'));
    const file = join(dir, 'xxe.xml');
    writeFileSync(file, XXE_FILE);
    const run = promisify(execFile);
    const result = await run(process.execPath, ['--import', 'tsx', join(__dirname, '../../hub/cap-cli.ts'), 'validate', file], { cwd: join(__dirname, '../..') })
      .then(() => ({ code: 0, stdout: '' }), (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }));
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stdout.trim()) as { accepted: boolean; errors: { code: string }[] };
    expect(line.accepted).toBe(false);
    expect(line.errors.map((e) => e.code)).toEqual(['XML_DTD_FORBIDDEN']);
    expect(leaksPasswd(result.stdout)).toBe(false);
  });
});

describe('encodings', () => {
  const latin1 = (s: string) => Uint8Array.from([...s].map((ch) => ch.charCodeAt(0)));
  const withEvent = (event: string) =>
    body('enc-1').replace('</alert>', `<info><category>Met</category><event>${event}</event><urgency>Unknown</urgency><severity>Unknown</severity><certainty>Unknown</certainty></info></alert>`);

  it('decodes ISO-8859-1 per the XML declaration, with a warning', () => {
    const v = parseCapBytes(latin1(`<?xml version="1.0" encoding="ISO-8859-1"?>${withEvent('Tempête de neige')}`));
    expect(v.accepted).toBe(true);
    expect(v.alert?.infos[0]?.event).toBe('Tempête de neige');
    expect(v.warnings.map((w) => w.code)).toContain('ENCODING_NOT_UTF8');
  });

  it('falls back to windows-1252 when bytes declared UTF-8 are not UTF-8 (Pelmorex), with a warning', () => {
    const v = parseCapBytes(latin1(`<?xml version="1.0" encoding="UTF-8"?>${withEvent('Avertissement de pluie à Montréal')}`));
    expect(v.accepted).toBe(true);
    expect(v.alert?.infos[0]?.event).toBe('Avertissement de pluie à Montréal');
    expect(v.warnings.map((w) => w.code)).toContain('ENCODING_MISMATCH');
  });

  it('strips a UTF-8 BOM (Taiwan WRA), with a warning', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc(`<?xml version="1.0" encoding="UTF-8"?>${withEvent('豪雨特報')}`)]);
    const v = parseCapBytes(bytes);
    expect(v.accepted).toBe(true);
    expect(v.alert?.infos[0]?.event).toBe('豪雨特報');
    expect(v.warnings.map((w) => w.code)).toEqual(['BOM_STRIPPED']);
  });

  it('refuses an encoding it cannot decode', () => {
    const v = parseCapBytes(enc(`<?xml version="1.0" encoding="X-KLINGON"?>${body('x')}`));
    expect(v.errors.map((e) => e.code)).toEqual(['UNSUPPORTED_ENCODING']);
  });
});
