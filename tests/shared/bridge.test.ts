import { describe, expect, it } from 'vitest';
import { desktopChannels, invokeChannels, pushChannels } from '../../shared/api';
import { createConsoleApi, type BridgeTransport } from '../../shared/bridge';
import { ok } from '../../shared/errors';

describe('createConsoleApi', () => {
  it('exposes one method per invoke and desktop channel and one subscription per push channel, nothing else', () => {
    const calls: Array<[string, unknown]> = [];
    const listeners = new Map<string, (p: unknown) => void>();
    const transport: BridgeTransport = {
      invoke: async (channel, args) => {
        calls.push([channel, args]);
        return ok(null);
      },
      subscribe: (channel, listener) => {
        listeners.set(channel, listener);
        return () => listeners.delete(channel);
      },
    };
    const api = createConsoleApi(transport);
    const expected = [
      ...Object.keys(invokeChannels),
      ...Object.keys(desktopChannels),
      ...Object.keys(pushChannels).map((n) => `on${n[0]!.toUpperCase()}${n.slice(1)}`),
    ].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    expect(Object.isFrozen(api)).toBe(true);

    void api.acknowledgeAlert({ alertId: 'city,42' });
    expect(calls).toEqual([['watchfloor:acknowledgeAlert', { alertId: 'city,42' }]]);

    const seen: unknown[] = [];
    const off = api.onChanges((p) => seen.push(p));
    listeners.get('watchfloor:changes')!({ alerts: [] });
    expect(seen).toEqual([{ alerts: [] }]);
    off();
    expect(listeners.has('watchfloor:changes')).toBe(false);
  });
});
