import { readFileSync } from 'node:fs';
import { documentLine, verdictLines, type CapCliLine } from './intake/report';
import { validateCapDocument } from './intake/xsd';

/**
 * `npm run cap -- validate <file>...`
 *
 * One JSON object per line per alert: a plain CAP file gives one line; an EDXL-DE envelope,
 * a wrapper, a feed or a USGS GeoJSON feed gives one line per embedded alert/entry, with
 * `index` (0-based). A document with no entries (or unreadable) gives one line with
 * `index: null`. Document-level errors/warnings are repeated on each of its lines.
 * Exit 0 when every line is accepted, 1 otherwise, 2 on usage errors.
 */

async function main(argv: string[]): Promise<number> {
  const [command, ...files] = argv;
  if (command !== 'validate' || files.length === 0) {
    process.stderr.write('usage: npm run cap -- validate <file>...\n');
    return 2;
  }
  let allAccepted = true;
  for (const file of files) {
    let lines: CapCliLine[];
    try {
      const bytes = new Uint8Array(readFileSync(file));
      lines = verdictLines(file, await validateCapDocument(bytes));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      lines = [
        documentLine(file, 'unknown', false, [{ code: 'NOT_CAP', message: `Cannot read the file: ${message}` }], []),
      ];
    }
    for (const line of lines) {
      allAccepted &&= line.accepted;
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  }
  return allAccepted ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 2;
  },
);
