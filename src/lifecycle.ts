/**
 * The stop request of a long-running process and the work still in flight when it comes.
 * SIGTERM asks to stop (`requestStop`): pollers and jobs check `stopping` before taking new
 * work, and `drained` waits, bounded, for what is already running to finish — a poll batch
 * stored with its cursor, a job, a send — before the database closes.
 */
export interface Lifecycle {
  readonly stopping: AbortSignal;
  requestStop(): void;
  /** Counts `work` as in flight until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T>;
  /** True once nothing tracked is running; false if `ms` passed first. */
  drained(ms: number): Promise<boolean>;
}

export function createLifecycle(): Lifecycle {
  const controller = new AbortController();
  const inflight = new Set<Promise<unknown>>();
  return {
    stopping: controller.signal,
    requestStop: () => controller.abort(new Error('stopping')),
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      inflight.add(settled);
      void settled.then(() => inflight.delete(settled));
      return work;
    },
    async drained(ms) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
      const idle = (async () => {
        while (inflight.size) await Promise.all([...inflight]);
        return true as const;
      })();
      try {
        return await Promise.race([idle, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
