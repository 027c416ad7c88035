// A bounded, mutable buffer of log entries addressed by absolute index: O(1) push, O(1) random access.
import type { LogLine } from "../../shared/service.ts";

/** A line as it arrived, tagged with its service; `plain` caches the text without ANSI escapes. */
export interface LineEntry extends LogLine {
  kind: "line";
  service: string;
  plain?: string;
}

/** Lines the console will never send (SPEC.md `gap`), shown as one row. */
export interface GapEntry {
  kind: "gap";
  service: string;
  from: number;
  to: number;
}

export type LogEntry = LineEntry | GapEntry;

/**
 * Entries keep their absolute index for the buffer's lifetime: views, search results and row
 * selections hold indices that stay valid while older entries fall off the front.
 */
export interface LineBuffer {
  readonly capacity: number;
  /** Absolute index of the oldest entry kept. */
  readonly start: number;
  /** Absolute index one past the newest entry. */
  readonly end: number;
  /** Changes on clear(): cached views of this buffer must start over. */
  readonly epoch: number;
  at(abs: number): LogEntry | undefined;
  push(entry: LogEntry): void;
  clear(): void;
}

/** An empty buffer keeping at most `capacity` entries (the oldest fall off). */
export function createLineBuffer(capacity: number): LineBuffer {
  // Grows up to capacity, then wraps: a quiet service never pays for 100,000 slots.
  let slots: LogEntry[] = [];
  let start = 0;
  let end = 0;
  let epoch = 0;
  return {
    capacity,
    get start() {
      return start;
    },
    get end() {
      return end;
    },
    get epoch() {
      return epoch;
    },
    at(abs) {
      if (abs < start || abs >= end) return undefined;
      return slots[abs % capacity];
    },
    push(entry) {
      if (slots.length < capacity) slots.push(entry);
      else slots[end % capacity] = entry;
      end++;
      if (end - start > capacity) start = end - capacity;
    },
    clear() {
      slots = [];
      // Indices start over at 0 so slot arithmetic stays simple; epoch tells views to rebuild.
      start = 0;
      end = 0;
      epoch++;
    },
  };
}
