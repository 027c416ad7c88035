// Contracts of the log path: splitter → log store (seq, time, stream) → ring → subscribers.
import type { LogLine, LogStream } from "../../shared/service.ts";

/** Bytes in, lines out; carries the partial line between chunks. */
export interface Splitter {
  write(chunk: Buffer): void;
  /** Flushes a partial last line (process exit). */
  end(): void;
}

/** Fixed-capacity ring of lines with consecutive seqs. */
export interface Ring {
  readonly capacity: number;
  /** seq of the oldest line kept; lastSeq + 1 when empty. */
  readonly firstSeq: number;
  /** seq of the newest line; 0 before any. */
  readonly lastSeq: number;
  readonly size: number;
  push(line: LogLine): void;
  /** Lines with seq > since still in the ring, oldest first, at most max. */
  after(since: number, max: number): LogLine[];
}

/** Result of reading a service's log from a cursor. */
export interface ReadResult {
  lines: LogLine[];
  /** Lines after `since` overwritten before they were read: inclusive seqs, or null. */
  gap: { from: number; to: number } | null;
}

/** One service's lines: the only writer of seqs. */
export interface ServiceLog {
  readonly name: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** A splitter whose lines land here as `stream`. One per pipe per process run. */
  splitter(stream: Exclude<LogStream, "system">): Splitter;
  /** devdeck's own event line ("started", "exited with code 1" …). */
  system(text: string): void;
  /** Lines after `since`, at most max, with the gap for those already overwritten. */
  read(since: number, max: number): ReadResult;
  /** Called after lines were appended: once per chunk, not per line. Returns unsubscribe. */
  subscribe(onAppend: () => void): () => void;
  /** Called with each line as it is appended (readiness probes); returns unsubscribe. */
  onLine(listener: (line: LogLine) => void): () => void;
}

export interface LogStore {
  get(name: string): ServiceLog | undefined;
  /** Creates the log of a service (idempotent). */
  create(name: string): ServiceLog;
  names(): string[];
}
