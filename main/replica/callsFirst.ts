/** A task that may be deferred behind waiting calls; `cancel()` drops a deferred run (on close). */
export interface CallsFirst {
  (): void;
  cancel(): void;
}

/**
 * `task` as a function that runs it now, or, when a call waits for this thread (`waiting()`),
 * right after the event loop has read that call: setImmediate callbacks run after the poll phase
 * that delivers a posted message, so the officer's call is answered before, not after, a change
 * flush of tens of milliseconds (decision 0042). Deferred once per run: the count of waiting
 * calls is advisory (decision 0037), and a drifted count must not hold the task back for ever.
 * Called again while a run is deferred, it runs the task now, once (the deferred run is dropped).
 */
export function afterWaitingCalls(waiting: (() => boolean) | null, task: () => void): CallsFirst {
  let deferred: ReturnType<typeof setImmediate> | null = null;
  const cancel = (): void => {
    if (deferred) clearImmediate(deferred);
    deferred = null;
  };
  const run = (): void => {
    if (!deferred && waiting?.()) {
      deferred = setImmediate(() => {
        deferred = null;
        task();
      });
      return;
    }
    cancel();
    task();
  };
  return Object.assign(run, { cancel });
}
