import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { afterWaitingCalls } from '../../main/replica/callsFirst';

/**
 * The replica worker's change flush waits for a call that is already posted (decision 0042):
 * the call's message is read before the flush runs, in the same turn of the event loop.
 */
describe('afterWaitingCalls', () => {
  const settle = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (done() ? resolve() : setTimeout(check, 1));
      check();
    });

  it('lets a message posted before the task was due be handled first', async () => {
    const { port1, port2 } = new MessageChannel();
    const order: string[] = [];
    let waiting = 0;
    port2.on('message', () => {
      waiting--;
      order.push('call');
    });
    const flush = afterWaitingCalls(
      () => waiting > 0,
      () => order.push('flush'),
    );
    setTimeout(() => {
      // the host counts the call, then posts it, while this thread's flush timer fires
      waiting++;
      port1.postMessage({ kind: 'call' });
      flush();
    }, 0);
    await settle(() => order.length === 2);
    port1.close();
    expect(order).toEqual(['call', 'flush']);
  });

  it('runs at once when no call waits, and after one deferral when the count never drops', async () => {
    const order: string[] = [];
    afterWaitingCalls(
      () => false,
      () => order.push('now'),
    )();
    expect(order).toEqual(['now']);
    // a drifted count (a call message lost): the task still runs, once
    afterWaitingCalls(
      () => true,
      () => order.push('late'),
    )();
    expect(order).toEqual(['now']);
    await settle(() => order.length === 2);
    expect(order).toEqual(['now', 'late']);
    afterWaitingCalls(null, () => order.push('no counter'))();
    expect(order.at(-1)).toBe('no counter');
  });

  it('drops a deferred run on cancel (the worker closing), and runs once when called again meanwhile', async () => {
    const runs: string[] = [];
    const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));
    const cancelled = afterWaitingCalls(
      () => true,
      () => runs.push('cancelled'),
    );
    cancelled();
    cancelled.cancel();
    const twice = afterWaitingCalls(
      () => true,
      () => runs.push('twice'),
    );
    twice();
    twice(); // due again before the deferred run: now, and the deferred one dropped
    expect(runs).toEqual(['twice']);
    await tick();
    expect(runs).toEqual(['twice']);
  });
});
