/**
 * What the running parts report as they work, for whoever listens (the metrics of
 * `src/http/`). Emitting costs nothing when nobody listens; a listener that throws is
 * ignored, so observing can never break the work it observes.
 */
export interface RunEvents {
  /** One source polled: `outcome` is `ok` or the error kind. */
  poll: { sourceId: number; channel: string; kind: string; outcome: 'ok' | 'retry' | 'backoff' | 'broken'; posts: number };
  /** One run of a scheduled job. */
  job: { job: string; outcome: 'ok' | 'error' | 'skipped'; seconds: number };
}

export type EventName = keyof RunEvents;

export interface EventHub {
  emit<K extends EventName>(name: K, event: RunEvents[K]): void;
  on<K extends EventName>(name: K, listener: (event: RunEvents[K]) => void): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Map<EventName, Set<(e: never) => void>>();
  return {
    emit(name, event) {
      for (const l of listeners.get(name) ?? []) {
        try {
          (l as (e: typeof event) => void)(event);
        } catch {
          // An observer's fault is not the worker's.
        }
      }
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (e: never) => void);
      listeners.set(name, set);
      return () => void set.delete(listener as (e: never) => void);
    },
  };
}
