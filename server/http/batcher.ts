// Per-socket cursors into the rings: lines go out at once when idle, batched under load, and only
// while the socket drains; what the ring overwrote meanwhile is announced as a gap (SPEC.md, /ws/logs).
import type { ServiceLog } from "../logs/types.ts";
import type { LogLine } from "../../shared/service.ts";
import { encodeLines, encodeMessage } from "./encode.ts";

/** Lines per `lines` message at most. */
export const BATCH_MAX_LINES = 2_000;
/** Bytes per `lines` message at most (at least one line is always sent). */
export const BATCH_MAX_BYTES = 256 * 1024;
/** Past this many bytes queued on a socket, stop sending until it drains. */
export const SOCKET_HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Encoded batches kept per log for other clients at the same cursor (fan-out), and for how long. */
export const SHARED_BATCHES = 4;
export const SHARED_BATCH_TTL_MS = 1_000;
const WS_OPEN = 1;
// Messages are sent as bytes already encoded; `binary: false` keeps them text frames (JSON), as SPEC.md has them.
const TEXT_FRAME = { binary: false } as const;

/** The part of a ws WebSocket the batcher needs. */
export interface BatchSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: false }, cb: (err?: Error) => void): void;
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

/** One encoded `lines` message: seqs from..to of a log, encoded under the given limits. */
interface SharedBatch {
  from: number;
  to: number;
  maxLines: number;
  maxBytes: number;
  bytes: Buffer;
}

const DEFAULT_LIMITS: BatcherLimits = { maxLines: BATCH_MAX_LINES, maxBytes: BATCH_MAX_BYTES, highWaterBytes: SOCKET_HIGH_WATER_BYTES };

// Clients reading the same log at the same cursor get the very same bytes: a seq's line never changes, so a
// batch encoded for one is right for all. Encoding once per batch instead of once per client keeps fan-out
// cheap (issue 6). Dropped soon after its last use, so an idle console holds none.
const shared = new Map<ServiceLog, SharedBatch[]>();
let sharedTimer: NodeJS.Timeout | null = null;

function findShared(log: ServiceLog, from: number, limits: BatcherLimits): SharedBatch | undefined {
  return shared.get(log)?.find((b) => b.from === from && b.maxLines === limits.maxLines && b.maxBytes === limits.maxBytes);
}

function keepShared(log: ServiceLog, batch: SharedBatch): void {
  const list = shared.get(log) ?? [];
  if (list.push(batch) > SHARED_BATCHES) list.shift();
  shared.set(log, list);
  sharedTimer ??= setTimeout(() => {
    shared.clear();
    sharedTimer = null;
  }, SHARED_BATCH_TTL_MS).unref();
}

/** A batcher sending `logs` after their `since` to `socket`: replay, `live`, then new lines. */
export function createBatcher(
  socket: BatchSocket,
  logs: ReadonlyArray<{ log: ServiceLog; since: number }>,
  limits: Partial<BatcherLimits> = {},
): Batcher {
  const lim: BatcherLimits = { ...DEFAULT_LIMITS, ...limits };
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

  const send = (bytes: Buffer) => {
    const id = ++sendCount;
    socket.send(bytes, TEXT_FRAME, (err) => {
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
      send(encodeMessage({ type: "live", service }));
      return true;
    }
    if (c.seq >= c.log.lastSeq) return false;
    const hit = c.seq + 1 >= c.log.firstSeq ? findShared(c.log, c.seq + 1, lim) : undefined;
    if (hit) {
      send(hit.bytes);
      c.seq = hit.to;
      return true;
    }
    const { lines, gap } = c.log.read(c.seq, lim.maxLines);
    if (gap !== null) {
      send(encodeMessage({ type: "gap", service, from: gap.from, to: gap.to }));
      c.seq = gap.to;
    }
    if (lines.length === 0) return gap !== null;
    const { bytes, count } = encodeLines(service, lines, lim.maxBytes);
    const to = (lines[count - 1] as LogLine).seq;
    keepShared(c.log, { from: c.seq + 1, to, maxLines: lim.maxLines, maxBytes: lim.maxBytes, bytes });
    send(bytes);
    c.seq = to;
    return true;
  };

  function flush(): void {
    isScheduled = false;
    if (isClosed) return;
    for (let hasSent = true; hasSent; ) {
      hasSent = false;
      // Round robin: one message per service per pass, so one flooding service cannot starve the others.
      for (const c of cursors) {
        if (socket.readyState !== WS_OPEN) return close();
        if (socket.bufferedAmount >= lim.highWaterBytes) {
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
