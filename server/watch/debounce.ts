// Turns a stream of changed paths into restarts: one per burst, never two at once.
//
// A burst ends after `debounceMs` without a change (a `git checkout` of 500 files is one trigger) or
// `maxWaitMs` after it began (a process that keeps writing a watched file still gets restarts, and the
// `system` line naming that file tells the user why). The trigger names the burst's FIRST path: the
// file the user saved, most likely; in a checkout every file is as good as another.
// While the caller's onTrigger promise is pending (a restart in flight) changes are only collected;
// once it settles they make at most one follow-up trigger, itself debounced.

/** What a trigger covers beyond the path it names. */
export interface TriggerInfo {
  /** Distinct paths that changed in the burst, the named one included. */
  paths: number;
}

/** Receives one trigger per burst; a returned promise marks the caller busy until it settles. */
export type TriggerHandler = (relPath: string, info: TriggerInfo) => void | Promise<unknown>;

export interface DebouncedTriggerOptions {
  debounceMs: number;
  maxWaitMs: number;
  onTrigger: TriggerHandler;
  /** A throw or rejection of onTrigger: reported, and the next change still triggers. */
  onError: (err: unknown) => void;
}

export interface DebouncedTrigger {
  /** Records a change; starts or extends the current burst. */
  push(relPath: string): void;
  /** Whether onTrigger is pending. */
  readonly isBusy: boolean;
  /** Drops pending changes and timers; an in-flight onTrigger is not awaited (it may be what closes us). */
  close(): void;
}

/** Creates the debouncer between file events and onTrigger. */
export function createDebouncedTrigger(opts: DebouncedTriggerOptions): DebouncedTrigger {
  const pending = new Set<string>();
  let first: string | null = null;
  let quietTimer: NodeJS.Timeout | null = null;
  let maxTimer: NodeJS.Timeout | null = null;
  let isBusy = false;
  let isClosed = false;

  const clearTimers = () => {
    if (quietTimer) clearTimeout(quietTimer);
    if (maxTimer) clearTimeout(maxTimer);
    quietTimer = maxTimer = null;
  };

  const arm = () => {
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = setTimeout(fire, opts.debounceMs);
    maxTimer ??= setTimeout(fire, Math.max(opts.maxWaitMs, opts.debounceMs));
  };

  const settle = () => {
    isBusy = false;
    // Changes seen during the restart: one follow-up, after its own quiet period.
    if (!isClosed && first !== null) arm();
  };

  function fire(): void {
    clearTimers();
    if (isClosed || first === null) return;
    const relPath = first;
    const info: TriggerInfo = { paths: pending.size };
    first = null;
    pending.clear();
    isBusy = true;
    let result: unknown;
    try {
      result = opts.onTrigger(relPath, info);
    } catch (err) {
      opts.onError(err);
    }
    Promise.resolve(result).then(settle, (err: unknown) => {
      opts.onError(err);
      settle();
    });
  }

  return {
    push(relPath) {
      if (isClosed) return;
      first ??= relPath;
      pending.add(relPath);
      if (!isBusy) arm();
    },
    get isBusy() {
      return isBusy;
    },
    close() {
      isClosed = true;
      clearTimers();
      pending.clear();
      first = null;
    },
  };
}
