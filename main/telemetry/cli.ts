import { recordHub, serveRecording } from './recorder';

/**
 * npm run telemetry -- record --hub <url> --token <token> --out <file.ndjson> [--seconds N]
 * npm run telemetry -- replay --file <file.ndjson> [--port 7400] [--speed 60]
 *
 * `record` keeps a hub's telemetry batches as NDJSON lines; `replay` serves a recording as a
 * local Socket.IO endpoint for consoles started with `--telemetry-local http://127.0.0.1:<port>`
 * (or give the file itself to `--telemetry-local` to replay it inside the console).
 */
const USAGE =
  'Usage: npm run telemetry -- record --hub <url> --token <token> --out <file.ndjson> [--seconds N]\n' +
  '       npm run telemetry -- replay --file <file.ndjson> [--port 7400] [--host 127.0.0.1] [--speed 60]';

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command === 'record') {
    const hubUrl = flag(argv, 'hub') ?? process.env.WATCHFLOOR_HUB_URL;
    const token = flag(argv, 'token') ?? process.env.WATCHFLOOR_TOKEN;
    const file = flag(argv, 'out');
    if (!hubUrl || !token || !file) {
      console.error(`record needs --hub, --token and --out.\n${USAGE}`);
      return 2;
    }
    const rec = await recordHub({ hubUrl, token, file });
    const seconds = Number(flag(argv, 'seconds') ?? 0);
    await new Promise<void>((resolve) => {
      if (seconds > 0) setTimeout(resolve, seconds * 1000);
      process.once('SIGINT', () => resolve());
    });
    await rec.stop();
    console.log(`Recorded ${rec.batches} telemetry batches to ${file}.`);
    return 0;
  }
  if (command === 'replay') {
    const file = flag(argv, 'file');
    if (!file) {
      console.error(`replay needs --file.\n${USAGE}`);
      return 2;
    }
    const speed = Number(flag(argv, 'speed') ?? 60);
    if (!Number.isFinite(speed) || speed < 0) {
      console.error('--speed is recorded seconds per second, a number ≥ 0 (0: as fast as it can).');
      return 2;
    }
    const server = await serveRecording({
      file,
      port: Number(flag(argv, 'port') ?? 7400),
      host: flag(argv, 'host') ?? '127.0.0.1',
      speed,
    });
    console.log(
      `Serving ${file} at ${server.url} (speed ${speed}); start a console with --telemetry-local ${server.url}`,
    );
    const sent = await server.done;
    console.log(`Sent ${sent} batches; press Ctrl+C to stop.`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    await server.close();
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`telemetry: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
