// Fixed-capacity ring of lines with consecutive seqs: push O(1), reads by index arithmetic on seq.
import type { LogLine } from "../../shared/service.ts";
import type { Ring } from "./types.ts";

/** A ring keeping the last `capacity` lines pushed (their seqs must be consecutive). */
export function createRing(capacity: number): Ring {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
  // Preallocated once: a slot is overwritten in place, never spliced or shifted.
  const slots = new Array<LogLine | undefined>(capacity).fill(undefined);
  let lastSeq = 0;
  let size = 0;

  return {
    capacity,
    get firstSeq() {
      return lastSeq - size + 1;
    },
    get lastSeq() {
      return lastSeq;
    },
    get size() {
      return size;
    },
    push(line: LogLine): void {
      // Slots are addressed by seq, so a jump in seqs would leave stale lines in between: start over.
      if (size > 0 && line.seq !== lastSeq + 1) size = 0;
      slots[line.seq % capacity] = line;
      lastSeq = line.seq;
      if (size < capacity) size++;
    },
    after(since: number, max: number): LogLine[] {
      const first = Math.max(since + 1, lastSeq - size + 1);
      const last = Math.min(lastSeq, first + max - 1);
      const out: LogLine[] = [];
      for (let seq = first; seq <= last; seq++) out.push(slots[seq % capacity] as LogLine);
      return out;
    },
  };
}
