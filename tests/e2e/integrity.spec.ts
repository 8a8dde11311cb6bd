import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import type { MutationPayload, MutationType } from '../../shared/domain/mutations';
import { newId } from '../../shared/ids';
import { MutateAck } from '../../shared/protocol';
import { startHub, type Hub } from '../../hub/server';
import { openConsole, type HarnessConsole } from '../harness/console';
import { ask, consoleFor, hlc } from '../hub/helpers';
import { expect, test } from './fixtures';

/**
 * The integrity alarm in the browser (issue 6, decision 0023): while the hub runs, someone
 * with access to its disk rewrites what an ICS 214 entry says in the hub's SQLite file, the
 * log consoles are served. A console that then catches up re-hashes the entry, finds it does
 * not match its seal, and shows a banner naming the entry that cannot be dismissed, survives
 * a reload, and tells the officer what to do; the console keeps working meanwhile.
 */

const NOTES = ['Pumps started at the Hald Lane underpass', '水位正常，继续监测', 'Sandbags delivered to sector 4'];

/** An officer's console writes the log through the hub's mutate protocol (an incident, then notes). */
async function writeLog(hub: Hub): Promise<void> {
  const socket = await consoleFor(hub, 'officer', 'Ada Okafor');
  try {
    const mutate = async <T extends MutationType>(type: T, payload: MutationPayload<T>) =>
      expect(MutateAck.parse(await ask(socket, 'mutate', { id: newId(), type, payload, hlc: hlc() }))).toMatchObject({
        ok: true,
      });
    const incidentId = newId();
    await mutate('incident.open', { incidentId, title: 'Underpass flooding', incidentType: 'flooding', priority: 2 });
    for (const text of NOTES) await mutate('log.append', { entryId: newId(), incidentId, text });
  } finally {
    socket.close();
  }
}

/** Rewrites one entry's text in the running hub's store file; returns its log number. */
function tamper(hubDir: string, text: string, replacement: string): number {
  const db = new Database(path.join(hubDir, 'hub.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    const row = db
      .prepare(
        "SELECT seq, json_extract(payload, '$.seq') AS logSeq FROM events WHERE type = 'log.appended' AND json_extract(payload, '$.text') = ?",
      )
      .get(text) as { seq: number; logSeq: number };
    db.prepare("UPDATE events SET payload = json_set(payload, '$.text', ?) WHERE seq = ?").run(replacement, row.seq);
    return row.logSeq;
  } finally {
    db.close();
  }
}

async function officerConsole(browser: Browser, hub: Hub, dataDir: string): Promise<HarnessConsole> {
  const token = await hub.issueToken({ role: 'officer', name: 'Ben Ito', position: 'Duty Officer' });
  return openConsole(browser, { dataDir, hubUrl: hub.url, token });
}

test('an entry altered in the hub’s store raises an integrity banner that names it, stays, and survives a reload', async ({
  browser,
  snap,
}) => {
  test.setTimeout(300_000);
  const hubDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-integrity-hub-'));
  const consoleDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-integrity-'));
  const hub = await startHub({ dataDir: hubDir, port: 0, simulate: null });
  let console_: HarnessConsole | null = null;
  try {
    await writeLog(hub);
    const logSeq = tamper(hubDir, NOTES[0]!, 'Pumps were never started');

    console_ = await officerConsole(browser, hub, consoleDir);
    const { page } = console_;
    const status = page.getByRole('status', { name: 'Connection status' });
    await expect(status).toContainText('Online', { timeout: 60_000 });

    const banner = page.getByRole('alert', { name: 'Integrity alarm' });
    await expect(banner).toBeVisible({ timeout: 60_000 });
    await expect(banner).toContainText("Integrity alarm: the hub's activity log has been altered.");
    await expect(banner).toContainText(`Log entry #${logSeq} does not match the hash chain (its content was changed;`);
    // what the officer is to do about it
    await expect(banner).toContainText(
      'Do not rely on the log from this entry on; tell the supervisor and the hub administrator now.',
    );
    await snap(page, '1-integrity-banner');

    // It cannot be dismissed: no control in it, and Escape leaves it.
    await expect(banner.getByRole('button')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(banner).toBeVisible();

    // The officer keeps working: an untouched entry still reaches the hub and this console.
    const more = await consoleFor(hub, 'officer', 'Ada Okafor');
    try {
      const incidentId = newId();
      expect(
        MutateAck.parse(
          await ask(more, 'mutate', {
            id: newId(),
            type: 'incident.open',
            payload: { incidentId, title: 'After the alarm', incidentType: 'flooding', priority: 3 },
            hlc: hlc(),
          }),
        ),
      ).toMatchObject({ ok: true });
    } finally {
      more.close();
    }
    await expect
      .poll(async () => {
        const r = await console_!.host.invoke('watchfloor:getSnapshot', undefined);
        return r.ok
          ? (r.value as { incidents?: { title: string }[] }).incidents?.some((i) => i.title === 'After the alarm')
          : false;
      })
      .toBe(true);
    await expect(status).toContainText('Online');

    // A reload (a new renderer on the same replica) shows the same alarm at once.
    await page.reload();
    await expect(page.getByRole('alert', { name: 'Integrity alarm' })).toContainText(`Log entry #${logSeq} `, {
      timeout: 60_000,
    });
    await snap(page, '2-integrity-banner-after-reload');
  } finally {
    await console_?.close();
    await hub.close();
    rmSync(consoleDir, { recursive: true, force: true });
    rmSync(hubDir, { recursive: true, force: true });
  }
});
