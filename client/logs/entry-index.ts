// The entries of a buffer that pass a filter, kept up to date incrementally: new entries are tested once.
import type { LineBuffer, LogEntry } from "../models/line-buffer.ts";

export type EntryTest = (entry: LogEntry) => boolean;

export interface EntryIndex {
  /**
   * Catches up with `buffer`. A different buffer, a cleared one or another `test` (compared by
   * identity) starts over; null keeps every entry.
   */
  sync(buffer: LineBuffer, test: EntryTest | null): void;
  readonly length: number;
  /** Absolute buffer index of the entry at `pos`. */
  abs(pos: number): number;
  /** First position whose entry is at or after absolute index `abs` (length when none). */
  positionOf(abs: number): number;
  /** Positions that fell off the front during the last sync (the view shifts up by that much). */
  readonly dropped: number;
}

// Compacting the array only when its dead head is large keeps trimming O(1) amortised.
const COMPACT_AT = 4_096;

/** An empty index; call sync() before reading. */
export function createEntryIndex(): EntryIndex {
  let buffer: LineBuffer | null = null;
  let epoch = -1;
  let test: EntryTest | null = null;
  let list: number[] = [];
  let head = 0;
  let scanned = 0;
  let start = 0;
  let dropped = 0;

  const restart = (next: LineBuffer, nextTest: EntryTest | null) => {
    buffer = next;
    epoch = next.epoch;
    test = nextTest;
    list = [];
    head = 0;
    scanned = next.start;
    start = next.start;
  };
  const trim = (from: number) => {
    while (head < list.length && (list[head] ?? 0) < from) {
      head++;
      dropped++;
    }
    if (head > COMPACT_AT && head > list.length / 2) {
      list = list.slice(head);
      head = 0;
    }
  };

  return {
    sync(next, nextTest) {
      dropped = 0;
      const isSame = next === buffer && next.epoch === epoch && nextTest === test;
      if (!isSame) restart(next, nextTest);
      if (test === null) {
        dropped = next.start - start;
        start = next.start;
        return;
      }
      trim(next.start);
      for (let abs = Math.max(scanned, next.start); abs < next.end; abs++) {
        const entry = next.at(abs);
        if (entry && test(entry)) list.push(abs);
      }
      scanned = next.end;
    },
    get length() {
      if (!buffer) return 0;
      return test === null ? buffer.end - buffer.start : list.length - head;
    },
    abs(pos) {
      if (test === null) return start + pos;
      return list[head + pos] ?? -1;
    },
    positionOf(abs) {
      if (test === null) return Math.max(0, abs - start);
      let lo = head;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((list[mid] ?? 0) < abs) lo = mid + 1;
        else hi = mid;
      }
      return lo - head;
    },
    get dropped() {
      return dropped;
    },
  };
}
