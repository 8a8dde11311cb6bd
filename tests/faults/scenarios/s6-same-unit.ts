import type { NeedsAttentionItem } from '../../../shared/responseApi';
import type { UnitView } from '../../../shared/domain/unit';
import { converged, FaultConsole, FaultHub, scratch, until } from '../cluster';
import { Tally, type Scenario } from '../scenario';

/**
 * 6. Two consoles offline at once dispatch the same unit (each to its own incident), then
 * reconnect together. The hub decides: exactly one dispatch is confirmed; the other console
 * shows its action in "needs attention" with the hub's reason, and both show the winner's
 * dispatch. Each run uses another unit; the winner releases it afterwards.
 */
export const sameUnit: Scenario = {
  id: 6,
  name: 'two consoles offline dispatch the same unit',
  async run({ runs = 4 }) {
    const tally = new Tally(this.name);
    const tmp = scratch('s6');
    const hub = await FaultHub.start(tmp.dir, 6);
    const consoles: FaultConsole[] = [];
    try {
      for (const name of ['s6-a', 's6-b']) {
        const c = new FaultConsole(name, tmp.dir, hub.url, await hub.token(`Officer ${name}`), tally.ledger);
        consoles.push(c);
      }
      await Promise.all(consoles.map((c) => c.start()));
      await converged(hub, consoles);
      const [a, b] = consoles as [FaultConsole, FaultConsole];
      const open = async (c: FaultConsole, title: string) => {
        const r = await c.invoke<{ mutationId: string; incidentId: string }>('openIncident', {
          title,
          incidentType: 'gas-pressure-loss',
          priority: 1,
        });
        tally.ledger.written.set(r.mutationId, {
          mutationId: r.mutationId,
          type: 'openIncident',
          marker: '',
          console: c.name,
        });
        return r.incidentId;
      };
      const incA = await open(a, 'Gas main pressure drop, north');
      const incB = await open(b, 'Gas main pressure drop, south');
      await converged(hub, consoles);
      const units = ['GC1', 'GC2', 'GC3', 'PC1', 'PC2', 'PC3'];
      for (let i = 0; i < runs; i++) {
        const unitId = units[i % units.length]!;
        hub.proxy.refuse(true);
        hub.proxy.cut();
        for (const c of consoles) await until(async () => (await c.status()).state === 'offline', `${c.name} offline`);
        const [da, db] = await Promise.all([
          a.invoke<{ mutationId: string }>('dispatchUnits', { incidentId: incA, unitIds: [unitId] }),
          b.invoke<{ mutationId: string }>('dispatchUnits', { incidentId: incB, unitIds: [unitId] }),
        ]);
        for (const [c, d] of [
          [a, da],
          [b, db],
        ] as const)
          tally.ledger.written.set(d.mutationId, {
            mutationId: d.mutationId,
            type: 'dispatchUnits',
            marker: '',
            console: c.name,
          });
        hub.proxy.refuse(false);
        await converged(hub, consoles);
        const decided = [hub.store.mutation(da.mutationId), hub.store.mutation(db.mutationId)];
        const winners = decided.filter((d) => d?.ok).length;
        if (winners !== 1) {
          tally.result.failures.push(`run ${i + 1}: ${winners} of the two dispatches of ${unitId} were accepted`);
          continue;
        }
        const winnerIsA = decided[0]!.ok;
        const [winner, loser, lost, winnerIncident] = winnerIsA ? [a, b, db, incA] : [b, a, da, incB];
        const attention = await loser.invoke<NeedsAttentionItem[]>('getNeedsAttention');
        const item = attention.find((x) => x.mutationId === lost.mutationId);
        const hubReason = decided[winnerIsA ? 1 : 0]!;
        if (!item)
          tally.result.failures.push(`run ${i + 1}: the refused dispatch is not in ${loser.name}'s needs attention`);
        else if (item.error.code !== hubReason.code || !item.error.message)
          tally.result.failures.push(
            `run ${i + 1}: needs attention says ${item.error.code}, the hub ${hubReason.code}`,
          );
        for (const c of consoles) {
          const unit = (await c.invoke<UnitView[]>('getUnits')).find((u) => u.id === unitId);
          if (unit?.incidentId !== winnerIncident || unit.pending)
            tally.result.failures.push(
              `run ${i + 1}: ${c.name} shows ${unitId} on ${unit?.incidentId ?? 'nothing'} (pending ${unit?.pending})`,
            );
        }
        if (i === 0 && item)
          tally.result.notes.push(`needs attention on ${loser.name}: ${item.error.code} "${item.error.message}"`);
        await winner.invoke('releaseUnit', { unitId, incidentId: winnerIncident });
        await converged(hub, consoles);
        tally.result.runs++;
      }
      for (const c of consoles) await tally.checkLog(c, hub, true);
      await tally.checkActions(hub, consoles, true);
    } catch (err) {
      tally.result.failures.push(`aborted: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      for (const c of consoles) await c.close();
      await hub.close();
      tmp.remove();
    }
    return tally.result;
  },
};
