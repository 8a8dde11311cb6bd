import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { desktopChannels, invokeChannels, pushChannels } from '../../shared/api';
import { fail, toAppError, type Result } from '../../shared/errors';
import { isAppUrl } from './origin';

/**
 * The one way main answers the renderer (VS Code's validatedIpcMain): every
 * invoke channel of the ConsoleApi is registered here, every call's sender
 * frame is checked, and the arguments go to the console host, which parses
 * them with the channel's zod schema. Errors come back as values.
 */

/** What an IPC handler needs from the console host. */
export interface InvokeTarget {
  invoke(channel: string, rawArgs: unknown): Promise<Result<unknown>>;
}

/** The parts of an invoke event the sender check reads (a fake can supply them). */
export interface SenderInfo {
  readonly sender: unknown;
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/**
 * A call is trusted when it comes from the main frame (not a subframe) of one of
 * our windows, and that frame shows our app:// origin. A frame that has gone
 * away (senderFrame null) is not trusted.
 */
export function isTrustedSender(event: SenderInfo, isOurWebContents: (contents: unknown) => boolean): boolean {
  const frame = event.senderFrame;
  if (frame === null) return false;
  if (frame.parent !== null) return false;
  if (!isAppUrl(frame.url)) return false;
  return isOurWebContents(event.sender);
}

export const UNTRUSTED_SENDER_MESSAGE = 'This request did not come from a Watchfloor window and was refused.';

/** The handler for one channel, independent of ipcMain (so it can be called with fakes). */
export function createInvokeHandler(
  channel: string,
  target: InvokeTarget,
  isOurWebContents: (contents: unknown) => boolean,
  log: (message: string) => void = () => {},
): (event: SenderInfo, rawArgs?: unknown) => Promise<Result<unknown>> {
  return async (event, rawArgs) => {
    if (!isTrustedSender(event, isOurWebContents)) {
      log(`refused ${channel} from ${event.senderFrame?.url ?? 'a closed frame'}`);
      return fail('FORBIDDEN', UNTRUSTED_SENDER_MESSAGE);
    }
    try {
      return await target.invoke(channel, rawArgs);
    } catch (err) {
      // The host returns errors as values; a throw here is a bug, still answered as a value.
      return { ok: false, error: toAppError(err) };
    }
  };
}

/**
 * Registers every channel of `invokeChannels` and `desktopChannels` through the wrapper
 * (main passes a target that routes the desktop ones to the shell, see desktop.ts);
 * returns an unregister.
 */
export function registerInvokeHandlers(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  target: InvokeTarget,
  isOurWebContents: (contents: unknown) => boolean,
  log?: (message: string) => void,
): () => void {
  const names = [...Object.values(invokeChannels), ...Object.values(desktopChannels)].map((ch) => ch.name);
  for (const name of names) {
    const handler = createInvokeHandler(name, target, isOurWebContents, log);
    ipc.handle(name, (event: IpcMainInvokeEvent, rawArgs?: unknown) => handler(event, rawArgs));
  }
  return () => {
    for (const name of names) ipc.removeHandler(name);
  };
}

const PUSH_CHANNEL_NAMES: ReadonlySet<string> = new Set(Object.values(pushChannels).map((ch) => ch.name));

/** Sends a host push to every live window. Only declared push channels cross. */
export function broadcastPush(
  contents: Iterable<Pick<WebContents, 'send' | 'isDestroyed'>>,
  channel: string,
  payload: unknown,
): void {
  if (!PUSH_CHANNEL_NAMES.has(channel)) return;
  for (const wc of contents) {
    if (!wc.isDestroyed()) wc.send(channel, payload);
  }
}
