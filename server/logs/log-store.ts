// Per-service logs: the only writer of seqs. Splitters feed lines in, subscribers hear once per chunk.
import type { LogLine, LogStream } from "../../shared/service.ts";
import { createRing } from "./ring.ts";
import { createSplitter } from "./splitter.ts";
import type { LogStore, ReadResult, ServiceLog, Splitter } from "./types.ts";

export interface LogStoreOptions {
  /** Lines kept per service (console.buffer). */
  capacity: number;
  /** Longest line in bytes before it is cut (console.max_line). */
  maxLineBytes: number;
  /** Clock in ms since the epoch; injectable for tests. */
  now?: () => number;
}

// Listeners must not break appending: a throw is swallowed (it is theirs to log).
function callEach<A extends unknown[]>(listeners: Set<(...args: A) => void>, ...args: A): void {
  for (const listener of listeners) {
    try {
      listener(...args);
    } catch {
      // ignored on purpose, see above
    }
  }
}

function createServiceLog(name: string, opts: Required<LogStoreOptions>): ServiceLog {
  const ring = createRing(opts.capacity);
  const subscribers = new Set<() => void>();
  const lineListeners = new Set<(line: LogLine) => void>();
  let seq = 0;
  // One time per chunk (not per line): set before a write is split, read by append.
  let chunkTime = 0;
  let hasAppended = false;

  function append(stream: LogStream, text: string): void {
    const line: LogLine = { seq: ++seq, time: chunkTime, stream, text };
    ring.push(line);
    hasAppended = true;
    if (lineListeners.size > 0) callEach(lineListeners, line);
  }

  // Appends made between begin() and finish() are announced once. Nested (a line listener writing a
  // system line mid-chunk), only the outermost finish() notifies.
  let depth = 0;
  function begin(): void {
    if (depth++ === 0) {
      chunkTime = opts.now();
      hasAppended = false;
    }
  }
  function finish(): void {
    if (--depth === 0 && hasAppended) {
      hasAppended = false;
      callEach(subscribers);
    }
  }

  function splitter(stream: Exclude<LogStream, "system">): Splitter {
    const inner = createSplitter((text) => append(stream, text), { maxLineBytes: opts.maxLineBytes });
    return {
      write(chunk) {
        begin();
        try {
          inner.write(chunk);
        } finally {
          finish();
        }
      },
      end() {
        begin();
        try {
          inner.end();
        } finally {
          finish();
        }
      },
    };
  }

  function system(text: string): void {
    begin();
    try {
      // A system line is one line: an embedded line break would forge a second one.
      for (const part of text.split(/\r?\n/)) append("system", part);
    } finally {
      finish();
    }
  }

  function read(since: number, max: number): ReadResult {
    const from = Math.max(0, since);
    const lines = ring.after(from, max);
    const firstSeq = ring.firstSeq;
    const gap = from + 1 < firstSeq && from < ring.lastSeq ? { from: from + 1, to: firstSeq - 1 } : null;
    return { lines, gap };
  }

  return {
    name,
    get firstSeq() {
      return ring.firstSeq;
    },
    get lastSeq() {
      return ring.lastSeq;
    },
    splitter,
    system,
    read,
    subscribe(onAppend) {
      subscribers.add(onAppend);
      return () => subscribers.delete(onAppend);
    },
    onLine(listener) {
      lineListeners.add(listener);
      return () => lineListeners.delete(listener);
    },
  };
}

/** The logs of every service, created on demand, with seqs that live as long as the store. */
export function createLogStore(opts: LogStoreOptions): LogStore {
  const resolved: Required<LogStoreOptions> = { now: Date.now, ...opts };
  const logs = new Map<string, ServiceLog>();
  return {
    get: (name) => logs.get(name),
    create(name) {
      let log = logs.get(name);
      if (!log) {
        log = createServiceLog(name, resolved);
        logs.set(name, log);
      }
      return log;
    },
    names: () => [...logs.keys()],
  };
}
