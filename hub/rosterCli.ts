import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../shared/clock';
import { WatchfloorError } from '../shared/errors';
import { PersonRole, Roster, RosterEntry } from './roster';
import { HubStore } from './store/hubStore';

/**
 * `npm run hub -- officer add|list|remove` (issue 6): manages the roster in the hub's
 * store, also while the hub runs (SQLite WAL; a sign-in reads the row when it happens).
 * The password comes from WATCHFLOOR_PASSWORD or the first line of stdin, never a flag.
 */
export async function officerCommand(argv: string[], usage: (message: string) => Error): Promise<void> {
  const [verb, ...rest] = argv;
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        data: { type: 'string' },
        name: { type: 'string' },
        position: { type: 'string' },
        agency: { type: 'string' },
        role: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (err) {
    throw usage((err as Error).message);
  }
  if (!values['data']) throw usage('--data <dir> is required');
  const store = HubStore.open(resolve(values['data'], 'hub.sqlite'), systemClock);
  try {
    const roster = new Roster(store.db, systemClock);
    if (verb === 'list') {
      for (const o of roster.list()) process.stdout.write(`${JSON.stringify(o)}\n`);
      return;
    }
    if (verb === 'remove') {
      if (!values['name']) throw usage('--name "<name>" is required');
      if (!roster.remove(values['name'])) throw usage(`${values['name']} is not on the roster`);
      process.stdout.write(`${values['name']} removed from the roster; their sign-ins are refused from now on.\n`);
      return;
    }
    if (verb !== 'add') throw usage(verb ? `unknown officer command "${verb}"` : 'officer needs add, list or remove');
    const role = PersonRole.safeParse(values['role']);
    if (!role.success) throw usage('--role must be officer or supervisor');
    const entry = RosterEntry.safeParse({
      name: values['name'],
      position: values['position'],
      agency: values['agency'],
      role: role.data,
    });
    if (!entry.success) throw usage('--name, --position and --agency are required (1–200 characters each)');
    const password = process.env['WATCHFLOOR_PASSWORD'] || (await firstLineOfStdin());
    try {
      roster.put(entry.data, password);
    } catch (err) {
      if (err instanceof WatchfloorError) throw usage(err.message);
      throw err;
    }
    process.stdout.write(`${JSON.stringify(entry.data)}\n`);
  } finally {
    store.close();
  }
}

async function firstLineOfStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}
