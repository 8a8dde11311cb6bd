import type { NotifyArgs } from '../../shared/api';

/**
 * Native notifications (decision 0027). The renderer decides which alerts notify and
 * writes the text in the officer's language (renderer/alerting); main only shows them,
 * with Electron's Notification passed in (a fake in tests/shell), and turns a click into
 * "show the console and select this alert". Always silent: the console plays its own
 * severity sound, and mute must silence everything.
 *
 * A page that asked too often (a bug, or a compromised renderer) is capped here too.
 */

export interface NotificationOptionsLike {
  title: string;
  body: string;
  silent: boolean;
  urgency: 'low' | 'normal' | 'critical';
  timeoutType: 'default' | 'never';
}

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export interface NotificationConstructor {
  new (options: NotificationOptionsLike): NotificationLike;
  isSupported(): boolean;
}

export interface NotifierOptions {
  Notification: NotificationConstructor;
  /** a notification was clicked: show the main window and select `alertId` (null: only show) */
  onClick: (alertId: string | null) => void;
  now?: () => number;
  /** at most this many notifications per minute, whatever the page asks */
  maxPerMinute?: number;
}

export interface Notifier {
  notify(args: NotifyArgs): { shown: boolean };
  /** notifications shown and not yet clicked or closed (held so a click still reaches us) */
  live(): number;
}

export function notificationOptions(args: NotifyArgs): NotificationOptionsLike {
  const extreme = args.severity === 'Extreme';
  return {
    title: args.title,
    body: args.body,
    silent: true,
    urgency: extreme ? 'critical' : 'normal',
    // An Extreme alert stays on screen until someone deals with it.
    timeoutType: extreme ? 'never' : 'default',
  };
}

const MAX_LIVE = 50;

export function createNotifier(options: NotifierOptions): Notifier {
  const now = options.now ?? Date.now;
  const maxPerMinute = options.maxPerMinute ?? 12;
  const shownAt: number[] = [];
  // Electron drops the click handler of a Notification that was garbage-collected: keep them.
  const live = new Set<NotificationLike>();
  return {
    notify(args) {
      if (!options.Notification.isSupported()) return { shown: false };
      const t = now();
      while (shownAt.length > 0 && t - shownAt[0]! >= 60_000) shownAt.shift();
      if (shownAt.length >= maxPerMinute) return { shown: false };
      shownAt.push(t);
      const n = new options.Notification(notificationOptions(args));
      live.add(n);
      if (live.size > MAX_LIVE) live.delete(live.values().next().value!);
      n.on('click', () => {
        live.delete(n);
        options.onClick(args.alertId);
      });
      n.on('close', () => live.delete(n));
      n.show();
      return { shown: true };
    },
    live: () => live.size,
  };
}
