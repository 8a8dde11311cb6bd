import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { decodePage } from '../main/sync/pullPage';
import { CONSOLE_NAMESPACE, MAX_PULL } from '../shared/protocol';
import { alertTemplates, writeHubLog } from './fixtures';
import { startHubProcess } from './hub-process';
import { tempDir } from './harness';

/**
 * `npx tsx bench/pull-page-cost.ts [entries] [rounds]`: the CPU one pull page costs each side
 * (decision 0040), the hub's (its process's utime + stime from /proc) and the console's (this
 * process: the socket's receive and the decode to entries), for a plain PullAck and for a page
 * as bytes, alternated in the same minutes so the machine's load hits both alike. The entries'
 * HubEvent parse and apply are not included: they are the same either way.
 */
const entries = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);
const hubDir = tempDir('pull-page-cost-hub');
const hubCpuMs = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
};
const ownCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
try {
  const bulk = writeHubLog(join(hubDir.path, 'hub.sqlite'), {
    assets: 1_000,
    alerts: entries - 1_000,
    templates: alertTemplates().filter((t) => t.includes('"msgType":"Alert"')),
  });
  const hub = await startHubProcess({ dataDir: hubDir.path });
  const socket = io(`${hub.url}${CONSOLE_NAMESPACE}`, { auth: { token: hub.token }, transports: ['websocket'] });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const pullAll = async (bytes: boolean): Promise<number> => {
    let after = 0;
    let got = 0;
    while (after < bulk.head) {
      const answer = (await socket.emitWithAck('pull', {
        after,
        limit: MAX_PULL,
        ...(bytes ? { as: 'bytes' } : {}),
      })) as { events?: { seq: number }[]; page?: Buffer };
      const events = (bytes ? decodePage(answer.page!) : answer.events) as { seq: number }[];
      got += events.length;
      after = events.at(-1)!.seq;
    }
    return got;
  };
  const totals = { plain: { hub: 0, console: 0, wall: 0 }, bytes: { hub: 0, console: 0, wall: 0 } };
  await pullAll(false); // warm both paths
  await pullAll(true);
  for (let r = 0; r < rounds; r++) {
    for (const mode of ['plain', 'bytes'] as const) {
      const h0 = hubCpuMs(hub.pid);
      const c0 = ownCpuMs();
      const t0 = performance.now();
      const got = await pullAll(mode === 'bytes');
      totals[mode].wall += performance.now() - t0;
      totals[mode].hub += hubCpuMs(hub.pid) - h0;
      totals[mode].console += ownCpuMs() - c0;
      if (got !== bulk.head) throw new Error(`pulled ${got} of ${bulk.head}`);
    }
  }
  const per = (ms: number) => +((ms * 1000) / (entries * rounds)).toFixed(1);
  for (const mode of ['plain', 'bytes'] as const)
    console.log(
      JSON.stringify({
        mode,
        entries,
        rounds,
        hubCpuUsPerEntry: per(totals[mode].hub),
        consoleCpuUsPerEntry: per(totals[mode].console),
        wallUsPerEntry: per(totals[mode].wall),
      }),
    );
  socket.close();
  await hub.close();
} finally {
  hubDir.remove();
}
