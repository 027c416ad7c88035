// /ws/logs messages as UTF-8 bytes. A `lines` message is written straight into bytes, line by line: the
// profile of issue 6 showed JSON.stringify of line objects, then measuring and encoding the resulting large
// string (ws: Buffer.byteLength, then writev), as the main cost of the log path. Same JSON as JSON.stringify.
import type { GapMsg, LiveMsg, ResetMsg } from "../../shared/protocol.ts";
import type { LogLine } from "../../shared/service.ts";

/** Upper bound of a line's JSON besides its text: `,{"seq":…,"time":…,"stream":"stdout","text":""}`. */
export const LINE_OVERHEAD_BYTES = 80;
// UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units).
const MAX_UTF8_PER_UNIT = 3;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const FIRST_PRINTABLE = 0x20;
const LEAD_EF = 0xef;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const ZERO = 0x30;
const OPEN_FIRST = Buffer.from('{"seq":');
const OPEN_NEXT = Buffer.from(',{"seq":');
// Encoding happens synchronously, one message at a time: one scratch buffer serves them all, and each
// message is copied out at its exact size (a copy costs far less than over-allocating every message).
const SCRATCH_INITIAL_BYTES = 512 * 1024;
let scratch = Buffer.allocUnsafeSlow(SCRATCH_INITIAL_BYTES);

// Buffer#utf8Write is what Buffer#write calls after validating its arguments: undocumented but present in
// every Node release; a profile showed that validation costing half as much as the encoding itself.
type Utf8Writer = (this: Buffer, text: string, offset: number) => number;
const utf8Write = (Buffer.prototype as unknown as { utf8Write: Utf8Writer }).utf8Write;
function write(buf: Buffer, text: string, off: number): number {
  return utf8Write.call(buf, text, off);
}

// Keeps `off` bytes of the scratch and makes room for `need` more.
function ensure(off: number, need: number): void {
  if (off + need <= scratch.length) return;
  const bigger = Buffer.allocUnsafeSlow(Math.max(scratch.length * 2, off + need));
  scratch.copy(bigger, 0, 0, off);
  scratch = bigger;
}

// A seq in decimal at `off`, as JSON.stringify writes it; returns the new offset.
function writeSeq(buf: Buffer, off: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return off + write(buf, JSON.stringify(n), off);
  let digits = 1;
  for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
  for (let p = off + digits - 1; p >= off; p--) {
    const q = Math.floor(n / 10);
    buf[p] = ZERO + (n - q * 10);
    n = q;
  }
  return off + digits;
}

// The line's text as a JSON string at `off`, after the opening quote already written at off - 1. Plain text
// is copied as UTF-8 (which never puts a byte below 0x80 inside a multi-byte character, so a byte scan finds
// every character JSON must escape); text with `"`, `\` or control characters (ANSI colours) goes through
// JSON.stringify, as before. So does text with a 0xEF byte (U+F000–U+FFFF): a lone surrogate, which
// JSON.stringify writes as \udXXX, would come out of utf8Write as U+FFFD (EF BF BD).
function writeText(off: number, text: string): number {
  ensure(off, text.length * MAX_UTF8_PER_UNIT + 2);
  const end = off + write(scratch, text, off);
  if (isPlain(scratch, off, end)) {
    scratch[end] = QUOTE;
    return end + 1;
  }
  const escaped = JSON.stringify(text);
  ensure(off, escaped.length * MAX_UTF8_PER_UNIT);
  return off - 1 + write(scratch, escaped, off - 1);
}

// Whether bytes [from, to) need no JSON escaping (see writeText). A small function of its own: V8 optimises
// the loop on its own and inlines it.
function isPlain(buf: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = buf[k] as number;
    if (c < FIRST_PRINTABLE || c === QUOTE || c === BACKSLASH || c === LEAD_EF) return false;
  }
  return true;
}

/** An encoded `lines` message and how many of the lines given it holds. */
export interface EncodedLines {
  bytes: Buffer;
  count: number;
}

/** `{"type":"lines","service":…,"lines":[…]}` of the first lines that fit in about maxBytes (at least one). */
export function encodeLines(service: string, lines: readonly LogLine[], maxBytes = Number.POSITIVE_INFINITY): EncodedLines {
  const head = `{"type":"lines","service":${JSON.stringify(service)},"lines":[`;
  ensure(0, head.length * MAX_UTF8_PER_UNIT);
  let off = write(scratch, head, 0);
  // The lines of one pipe read share time and stream: their `,"time":…,"stream":…,"text":"` is encoded once.
  let middle: Buffer | null = null;
  let count = 0;
  for (const line of lines) {
    // Stops before the line that would cross maxBytes; a line longer than that still goes alone.
    if (count > 0 && off + LINE_OVERHEAD_BYTES + line.text.length > maxBytes) break;
    const previous = count > 0 ? (lines[count - 1] as LogLine) : null;
    if (middle === null || previous === null || line.time !== previous.time || line.stream !== previous.stream) {
      middle = Buffer.from(`,"time":${JSON.stringify(line.time)},"stream":${JSON.stringify(line.stream)},"text":"`);
    }
    off = writeLine(off, line, count === 0 ? OPEN_FIRST : OPEN_NEXT, middle);
    count++;
  }
  ensure(off, 2);
  scratch[off++] = CLOSE_BRACKET;
  scratch[off++] = CLOSE_BRACE;
  const bytes = Buffer.allocUnsafeSlow(off);
  scratch.copy(bytes, 0, 0, off);
  return { bytes, count };
}

// `{"seq":N` + middle + text + `"}` at `off`; returns the new offset.
function writeLine(off: number, line: LogLine, open: Buffer, middle: Buffer): number {
  ensure(off, LINE_OVERHEAD_BYTES + middle.length);
  scratch.set(open, off);
  off = writeSeq(scratch, off + open.length, line.seq);
  scratch.set(middle, off);
  off = writeText(off + middle.length, line.text);
  ensure(off, 1);
  scratch[off] = CLOSE_BRACE;
  return off + 1;
}

/** A small message (gap, live, reset) as UTF-8. */
export function encodeMessage(msg: GapMsg | LiveMsg | ResetMsg): Buffer {
  return Buffer.from(JSON.stringify(msg));
}
