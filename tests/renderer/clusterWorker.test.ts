import { describe, expect, it } from 'vitest';
import type { FromClusterWorker, ToClusterWorker } from '../../renderer/map/clusterProtocol';

/**
 * The cluster worker's columns protocol (decision 0041): a load is columns, an answer names the
 * load it was read from (`gen`) and each single point by its place in that load, so the map
 * reads places against that load's ids and drops an answer read against an older one.
 */
describe('the cluster worker', () => {
  it('answers places in the load it read, named by its gen', async () => {
    const answers: FromClusterWorker[] = [];
    // the worker's global scope, as the module sees it (self.onmessage, self.postMessage)
    const fake: {
      onmessage: ((e: { data: ToClusterWorker }) => void) | null;
      postMessage(m: FromClusterWorker): void;
    } = { onmessage: null, postMessage: (m) => answers.push(m) };
    (globalThis as unknown as { self?: unknown }).self = fake;
    await import('../../renderer/map/clusterWorker');
    const send = (data: ToClusterWorker): void => fake.onmessage!({ data });
    const query = (seq: number): ToClusterWorker => ({
      type: 'query',
      seq,
      kind: 'assets',
      bbox: [-180, -85, 180, 85],
      zoom: 17,
    });

    send(query(1));
    // three points far apart: at zoom 17 each is its own item
    send({
      type: 'load',
      kind: 'assets',
      gen: 7,
      lat: Float64Array.from([10, 20, 30]),
      lon: Float64Array.from([10, 20, 30]),
      w: Float64Array.from([0, 2, 1]),
    });
    send(query(2));
    // the next load has other points at other places
    send({
      type: 'load',
      kind: 'assets',
      gen: 9,
      lat: Float64Array.from([-5]),
      lon: Float64Array.from([40]),
      w: Float64Array.from([3]),
    });
    send(query(3));

    expect(answers.map((a) => [a.seq, a.gen])).toEqual([
      [1, -1],
      [2, 7],
      [3, 9],
    ]);
    expect(answers[0]!.items).toEqual([]);
    const places = answers[1]!.items.map((i) => [i.index, i.lat, i.maxW]);
    expect(places.sort((a, b) => a[0]! - b[0]!)).toEqual([
      [0, 10, 0],
      [1, 20, 2],
      [2, 30, 1],
    ]);
    expect(answers[2]!.items).toMatchObject([{ index: 0, lat: -5, lon: 40, count: 1, maxW: 3 }]);
  });
});
