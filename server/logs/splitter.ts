// Bytes → lines (SPEC.md "Log lines"): `\n` and `\r\n` end a line, a lone `\r` replaces the line in
// progress, invalid UTF-8 becomes U+FFFD, a line longer than maxLineBytes is cut on a character boundary.
import type { Splitter } from "./types.ts";

const LF = 10;
const CR = 13;
/** A UTF-8 sequence has at most 3 continuation bytes: never back up further to find a boundary. */
const MAX_CONTINUATION_BYTES = 3;

export interface SplitterOptions {
  /** A line longer than this many bytes is emitted in several pieces, none longer. */
  maxLineBytes: number;
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** A splitter that calls `onLine` with each complete line's text (no line ending). */
export function createSplitter(onLine: (text: string) => void, opts: SplitterOptions): Splitter {
  const max = Math.max(1, Math.floor(opts.maxLineBytes));
  // The line in progress when it spans chunks; allocated on first need, never grows past `max`.
  let part: Buffer | null = null;
  let partLen = 0;
  // The last byte seen was `\r`: whether it ends the line (`\r\n`) or resets it depends on the next one.
  let isCrPending = false;

  // Emits pieces of [a, b) straight from `buf` (no copy) while more than `max` bytes remain; returns
  // where the rest starts. A piece ends before a continuation byte, so no character is split.
  function cutDirect(buf: Buffer, a: number, b: number): number {
    while (b - a > max) {
      let cut = a + max;
      for (let k = 0; k < MAX_CONTINUATION_BYTES && cut > a + 1 && isContinuation(buf[cut]); k++) cut--;
      onLine(buf.toString("utf8", a, cut));
      a = cut;
    }
    return a;
  }

  // Appends [a, b) to the kept partial line, emitting full pieces as it overflows; returns where the
  // bytes not yet consumed start (only when the partial emptied on a piece boundary).
  function appendToPart(buf: Buffer, a: number, b: number): number {
    part ??= Buffer.allocUnsafe(max);
    while (partLen > 0) {
      const room = max - partLen;
      if (b - a <= room) {
        buf.copy(part, partLen, a, b);
        partLen += b - a;
        return b;
      }
      buf.copy(part, partLen, a, a + room);
      a += room;
      // The byte after the piece is buf[a] (it exists: more bytes than room were given).
      let cut = max;
      for (let k = 0; k < MAX_CONTINUATION_BYTES && cut > 1 && isContinuation(cut === max ? buf[a] : part[cut]); k++) cut--;
      onLine(part.toString("utf8", 0, cut));
      part.copyWithin(0, cut, max);
      partLen = max - cut;
    }
    return a;
  }

  // Bytes [a, b) belong to the line in progress, whose end is not known yet.
  function take(buf: Buffer, a: number, b: number): void {
    if (a >= b) return;
    if (partLen > 0) a = appendToPart(buf, a, b);
    if (a >= b) return;
    a = cutDirect(buf, a, b);
    part ??= Buffer.allocUnsafe(max);
    buf.copy(part, 0, a, b);
    partLen = b - a;
  }

  // Bytes [a, b) end the line in progress: emit it (from the chunk itself when nothing was kept).
  function endLine(buf: Buffer, a: number, b: number): void {
    if (partLen > 0) {
      a = appendToPart(buf, a, b);
      if (partLen > 0) {
        onLine((part as Buffer).toString("utf8", 0, partLen));
        partLen = 0;
        return;
      }
    }
    a = cutDirect(buf, a, b);
    onLine(buf.toString("utf8", a, b));
  }

  function flushPart(): void {
    if (partLen > 0 && part) onLine(part.toString("utf8", 0, partLen));
    partLen = 0;
  }

  // Resolves a `\r` left pending by the previous chunk; returns where this chunk's own lines start.
  function resolvePendingCr(chunk: Buffer): number {
    let pos = 0;
    while (pos < chunk.length && chunk[pos] === CR) pos++;
    if (pos === chunk.length) return pos;
    isCrPending = false;
    if (chunk[pos] === LF) {
      // `\r\n` across chunks: the line ends, even an empty one.
      onLine(part && partLen > 0 ? part.toString("utf8", 0, partLen) : "");
      partLen = 0;
      return pos + 1;
    }
    partLen = 0;
    return pos;
  }

  function write(chunk: Buffer): void {
    const len = chunk.length;
    let pos = isCrPending ? resolvePendingCr(chunk) : 0;
    // Next LF and CR at or after pos, each found once per chunk scan (progress bars stay linear).
    let nl = -2;
    let cr = -2;
    while (pos < len) {
      if (nl !== -1 && nl < pos) nl = chunk.indexOf(LF, pos);
      if (cr !== -1 && cr < pos) cr = chunk.indexOf(CR, pos);
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        let next = cr + 1;
        while (next < len && chunk[next] === CR) next++;
        if (next === len) {
          take(chunk, pos, cr);
          isCrPending = true;
          return;
        }
        if (chunk[next] === LF) {
          endLine(chunk, pos, cr);
          pos = next + 1;
        } else {
          // A lone `\r` redraws the line: what came before it is dropped, unless it already overflowed.
          if (partLen + (cr - pos) > max) take(chunk, pos, cr);
          partLen = 0;
          pos = next;
        }
        continue;
      }
      if (nl === -1) {
        take(chunk, pos, len);
        return;
      }
      endLine(chunk, pos, nl);
      pos = nl + 1;
    }
  }

  function end(): void {
    isCrPending = false;
    flushPart();
  }

  return { write, end };
}
