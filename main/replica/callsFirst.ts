/**
 * `task` as a function that runs it now, or, when a call waits for this thread (`waiting()`),
 * right after the event loop has read that call: setImmediate callbacks run after the poll phase
 * that delivers a posted message, so the officer's call is answered before, not after, a change
 * flush of tens of milliseconds (decision 0042). Deferred once per run: the count of waiting
 * calls is advisory (decision 0037), and a drifted count must not hold the task back for ever.
 */
export function afterWaitingCalls(waiting: (() => boolean) | null, task: () => void): () => void {
  let deferred = false;
  const run = (): void => {
    if (!deferred && waiting?.()) {
      deferred = true;
      setImmediate(run);
      return;
    }
    deferred = false;
    task();
  };
  return run;
}
