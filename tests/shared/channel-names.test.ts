import { describe, expect, it } from 'vitest';
import { desktopChannels, invokeChannels, pushChannels } from '../../shared/api';
import { channelName, desktopNames, invokeNames, pushNames } from '../../shared/channelNames';

/** The bridge builds window.watchfloor from these names alone (decision 0041): they must be shared/api.ts's. */
describe('shared/channelNames', () => {
  it('lists every channel of shared/api.ts under the name it has there, and nothing else', () => {
    for (const [names, channels] of [
      [invokeNames, invokeChannels],
      [desktopNames, desktopChannels],
      [pushNames, pushChannels],
    ] as const) {
      expect([...names].sort()).toEqual(Object.keys(channels).sort());
      for (const name of names)
        expect(channelName(name)).toBe((channels as Record<string, { name: string }>)[name]!.name);
    }
  });
});
