import { FaultHub, FaultConsole, scratch, useConsoleBundle, sleep } from './cluster';
import { bundleConsole } from './build';
import { Ledger } from './checker';
const tmp = scratch('r');
useConsoleBundle(await bundleConsole());
const hub = await FaultHub.start(tmp.dir, 1);
const token = await hub.token('x');
const c = new FaultConsole('c', tmp.dir, hub.url, token, new Ledger());
await c.start();
for (let i = 0; i < 6; i++) {
  await hub.simulate(200);
  await sleep(Math.random() * 800);
  const s0 = await c.status();
  await c.kill();
  await c.start();
  const s1 = await c.status();
  await sleep(300);
  const s2 = await c.status();
  console.log(i, 'before kill', s0.state, s0.cursor, '| after restart', s1.state, s1.cursor, '| +300ms', s2.state, s2.cursor, s2.lastError?.code ?? '');
}
await c.close(); await hub.close(); tmp.remove();
