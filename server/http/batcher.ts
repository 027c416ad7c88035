// Per-socket cursors into the rings: lines go out at once when idle, batched under load, and only
// while the socket drains; what the ring overwrote meanwhile is announced as a gap (SPEC.md, /ws/logs).
import type { ServiceLog } from "../logs/types.ts";
import type { GapMsg, LinesMsg, LiveMsg } from "../../shared/protocol.ts";
import type { LogLine } from "../../shared/service.ts";

/** Lines per `lines` message at most. */
export const BATCH_MAX_LINES = 2_000;
/** Approximate bytes per `lines` message at most (at least one line is always sent). */
export const BATCH_MAX_BYTES = 256 * 1024;
/** Past this many bytes queued on a socket, stop sending until it drains. */
export const SOCKET_HIGH_WATER_BYTES = 1024 * 1024;
// JSON framing of one line besides its text: {"seq":…,"time":…,"stream":"stdout","text":""}.
const LINE_OVERHEAD_BYTES = 60;
const WS_OPEN = 1;

/** The part of a ws WebSocket the batcher needs. */
export interface BatchSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string, cb: (err?: Error) => void): void;
}

export interface BatcherLimits {
  maxLines: number;
  maxBytes: number;
  highWaterBytes: number;
}

export interface Batcher {
  /** Starts the replay; live lines follow as the logs notify. */
  start(): void;
  /** Unsubscribes from every log; nothing is sent afterwards. Idempotent. */
  close(): void;
}

interface Cursor {
  log: ServiceLog;
  /** Last seq sent (or announced as a gap). */
  seq: number;
  /** lastSeq when the client connected: `live` is sent once the cursor passes it. */
  replayEnd: number;
  isLive: boolean;
}

const DEFAULT_LIMITS: BatcherLimits = { maxLines: BATCH_MAX_LINES, maxBytes: BATCH_MAX_BYTES, highWaterBytes: SOCKET_HIGH_WATER_BYTES };

/** A batcher sending `logs` after their `since` to `socket`: replay, `live`, then new lines. */
export function createBatcher(
  socket: BatchSocket,
  logs: ReadonlyArray<{ log: ServiceLog; since: number }>,
  limits: Partial<BatcherLimits> = {},
): Batcher {
  const { maxLines, maxBytes, highWaterBytes } = { ...DEFAULT_LIMITS, ...limits };
  // A `since` beyond the newest line would skip future lines silently: start from the newest instead.
  const cursors: Cursor[] = logs.map(({ log, since }) => ({ log, seq: Math.min(since, log.lastSeq), replayEnd: log.lastSeq, isLive: false }));
  const unsubscribers: Array<() => void> = [];
  let isScheduled = false;
  let isWaitingForDrain = false;
  let isClosed = false;
  let sendCount = 0;

  const schedule = () => {
    if (isScheduled || isWaitingForDrain || isClosed) return;
    isScheduled = true;
    // setImmediate, not a timer: a quiet service's line goes out at once, and every line appended
    // within the same I/O turn shares one message.
    setImmediate(flush);
  };

  const send = (msg: LinesMsg | GapMsg | LiveMsg) => {
    const id = ++sendCount;
    socket.send(JSON.stringify(msg), (err) => {
      if (err) return close();
      // Writes complete in order: once the newest one is out, the queue is empty again.
      if (isWaitingForDrain && id === sendCount) {
        isWaitingForDrain = false;
        schedule();
      }
    });
  };

  // One message for this cursor, if it has one to send. Returns whether it sent.
  const pump = (c: Cursor): boolean => {
    const service = c.log.name;
    if (!c.isLive && c.seq >= c.replayEnd) {
      c.isLive = true;
      send({ type: "live", service });
      return true;
    }
    if (c.seq >= c.log.lastSeq) return false;
    const { lines, gap } = c.log.read(c.seq, maxLines);
    if (gap !== null) {
      send({ type: "gap", service, from: gap.from, to: gap.to });
      c.seq = gap.to;
    }
    const batch = capBytes(lines, maxBytes);
    const last = batch[batch.length - 1];
    if (last !== undefined) {
      send({ type: "lines", service, lines: batch });
      c.seq = last.seq;
    }
    return gap !== null || last !== undefined;
  };

  function flush(): void {
    isScheduled = false;
    if (isClosed) return;
    for (let hasSent = true; hasSent; ) {
      hasSent = false;
      // Round robin: one message per service per pass, so one flooding service cannot starve the others.
      for (const c of cursors) {
        if (socket.readyState !== WS_OPEN) return close();
        if (socket.bufferedAmount >= highWaterBytes) {
          isWaitingForDrain = true;
          return;
        }
        if (pump(c)) hasSent = true;
      }
    }
  }

  function close(): void {
    if (isClosed) return;
    isClosed = true;
    for (const off of unsubscribers.splice(0)) off();
  }

  return {
    start() {
      for (const c of cursors) unsubscribers.push(c.log.subscribe(schedule));
      schedule();
    },
    close,
  };
}

/** The longest prefix of `lines` within about maxBytes of JSON (never empty when lines is not). */
export function capBytes(lines: LogLine[], maxBytes: number): LogLine[] {
  let bytes = 0;
  for (let i = 0; i < lines.length; i++) {
    bytes += (lines[i]?.text.length ?? 0) + LINE_OVERHEAD_BYTES;
    if (bytes > maxBytes && i > 0) return lines.slice(0, i);
  }
  return lines;
}
