import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** `npm run cap -- validate <file>...`: one JSON line per alert, exit 0 only if all are accepted. */

const ROOT = join(__dirname, '../..');
const DATA = join(ROOT, '../shared/data');
const run = (...files: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'hub/cap-cli.ts'), 'validate', ...files], { cwd: ROOT }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('cap CLI', () => {
  it('prints one line per file for plain CAP, one per entry for envelopes; exit 0 when all accepted', async () => {
    const { code, stdout } = await run(
      join(DATA, 'cap/oasis-spec/v1dot2_appendix_adot2.xml'),
      join(DATA, 'other/edxl-de/google-cap-library__bushfire_valid.edxlde'),
    );
    expect(code).toBe(0);
    const out = lines(stdout);
    expect(out).toHaveLength(1 + 7);
    expect(out[0]).toEqual({
      file: join(DATA, 'cap/oasis-spec/v1dot2_appendix_adot2.xml'), index: null, format: 'cap', accepted: true, version: '1.2',
      identifier: 'KSTO1055887203', sender: 'KSTO@NWS.NOAA.GOV', sent: '2003-06-17T14:57:00-07:00', msgType: 'Alert', status: 'Actual',
      infos: 1, areas: 1, errors: [], warnings: [],
    });
    expect(out.slice(1).map((l) => l['index'])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(out.slice(1).every((l) => l['format'] === 'edxl-de' && l['accepted'] === true)).toBe(true);
  });

  it('exits 1 when any line is rejected, and prints link-only feed entries with their link', async () => {
    const { code, stdout } = await run(
      join(DATA, 'other/feeds/google-cap-library__weather_index.atom'),
      join(DATA, 'cap/invalid/google-cap-library__invalid.cap'),
    );
    expect(code).toBe(1);
    const out = lines(stdout);
    expect(out).toHaveLength(3);
    expect(out[0]!['link']).toMatch(/^http:\/\/www\.weather\.gov\//);
    expect(out[2]).toMatchObject({ accepted: false, identifier: null });
    expect((out[2]!['errors'] as { code: string }[]).map((e) => e.code)).toContain('MISSING_ELEMENT');
  });

  it('answers an unreadable file with a rejected line', async () => {
    const { code, stdout } = await run(join(DATA, 'does-not-exist.cap'));
    expect(code).toBe(1);
    expect(lines(stdout)[0]).toMatchObject({ accepted: false, index: null });
  });
});
