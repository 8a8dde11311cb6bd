import {
  desktopChannels,
  type DesktopName,
  type DesktopStatus,
  type NotifyArgs,
  type PopoutPanel,
} from '../../shared/api';
import { fail, ok, type Result } from '../../shared/errors';
import type { InvokeTarget } from './ipc';

/**
 * The desktop channels of the ConsoleApi (pop-outs, notifications, tray) are answered by
 * the shell itself, never the console host. They reach main through the same IPC wrapper
 * (sender check first); here their arguments are parsed with the channel's zod schema,
 * and a bad one is refused with BAD_REQUEST, counted, and changes nothing.
 */
export interface DesktopHandlers {
  openPopout(panel: PopoutPanel): { opened: boolean };
  notify(args: NotifyArgs): { shown: boolean };
  setDesktopStatus(status: DesktopStatus): void;
}

const byChannel = new Map<string, DesktopName>(
  (Object.keys(desktopChannels) as DesktopName[]).map((name) => [desktopChannels[name].name, name]),
);

export const isDesktopChannel = (channel: string): boolean => byChannel.has(channel);

export interface DesktopTarget extends InvokeTarget {
  badRequests(): number;
}

export function createDesktopTarget(handlers: DesktopHandlers): DesktopTarget {
  let bad = 0;
  return {
    async invoke(channel, rawArgs): Promise<Result<unknown>> {
      const name = byChannel.get(channel);
      if (!name) {
        bad++;
        return fail('BAD_REQUEST', `There is no desktop operation called ${channel}.`);
      }
      const parsed = desktopChannels[name].args.safeParse(rawArgs);
      if (!parsed.success) {
        bad++;
        const issue = parsed.error.issues[0];
        return fail(
          'BAD_REQUEST',
          `Bad request for ${name}: ${issue ? `${issue.path.join('.') || 'args'} ${issue.message}` : 'invalid'}.`,
        );
      }
      switch (name) {
        case 'openPopout':
          return ok(handlers.openPopout((parsed.data as { panel: PopoutPanel }).panel));
        case 'notify':
          return ok(handlers.notify(parsed.data as NotifyArgs));
        case 'setDesktopStatus':
          handlers.setDesktopStatus(parsed.data as DesktopStatus);
          return ok({});
      }
    },
    badRequests: () => bad,
  };
}

/** One target for the IPC wrapper: desktop channels to the shell, everything else to the console host. */
export function routeInvoke(host: InvokeTarget, desktop: InvokeTarget): InvokeTarget {
  return {
    invoke: (channel, rawArgs) => (isDesktopChannel(channel) ? desktop : host).invoke(channel, rawArgs),
  };
}
