// Every service's lines, outside the render tree: bounded buffers + a `version` signal bumped once a frame.
import { signal, type ReadonlySignal } from "@preact/signals";
import { ALL_SERVICES, formatSince } from "../../shared/protocol.ts";
import type { LogsChannelMsg } from "../../shared/protocol.ts";
import type { LogLine, LogStream } from "../../shared/service.ts";
import { createLineBuffer, type LineBuffer, type LineEntry, type LogEntry } from "./line-buffer.ts";

/** Entries kept per view (one service, or all merged): the DOM never holds more than a screenful. */
export const VIEW_LINES = 100_000;

/** The log model: read buffers through view(), feed it with handle(). */
export interface LogsModel {
  /** Bumped at most once per animation frame after entries arrived or were cleared. */
  readonly version: ReadonlySignal<number>;
  /** The console instance the buffered seqs belong to (SPEC.md, /ws/logs `instance`). */
  readonly instance: string | null;
  setInstance(instance: string): void;
  /** The buffer behind a view: a service name, or ALL_SERVICES for the merged view. */
  view(key: string): LineBuffer;
  /** Newest seq seen (line or gap) for a service, 0 before any. */
  lastSeq(service: string): number;
  /** `since` for a reconnect: resume each service after the last seq it has. */
  since(): string;
  /** Applies one /ws/logs message. */
  handle(msg: LogsChannelMsg): void;
  /** Empties a view; clearing the merged view empties every view. Seqs are kept: nothing is fetched again. */
  clear(key: string): void;
  /** The last `count` lines of `stream` from the service's latest run, oldest first. */
  recent(service: string, stream: LogStream, count: number): LineEntry[];
}

export interface LogsModelOptions {
  viewLines?: number;
  /** Defers the version bump: requestAnimationFrame in the browser (passed in: this module stays DOM-free). */
  schedule: (run: () => void) => void;
}

// Looking further back for a crash panel's stderr lines would cost a scan per render.
const RECENT_SCAN_LIMIT = 2_000;

/** Creates the log model; feed it with handle(). */
export function createLogsModel(opts: LogsModelOptions): LogsModel {
  const viewLines = opts.viewLines ?? VIEW_LINES;
  const schedule = opts.schedule;
  const version = signal(0);
  const views = new Map<string, LineBuffer>();
  const lastSeqs = new Map<string, number>();
  let instance: string | null = null;
  let isBumpScheduled = false;

  const bump = () => {
    if (isBumpScheduled) return;
    isBumpScheduled = true;
    schedule(() => {
      isBumpScheduled = false;
      version.value++;
    });
  };
  const view = (key: string): LineBuffer => {
    let buffer = views.get(key);
    if (!buffer) {
      buffer = createLineBuffer(viewLines);
      views.set(key, buffer);
    }
    return buffer;
  };
  const append = (entry: LogEntry) => {
    view(entry.service).push(entry);
    view(ALL_SERVICES).push(entry);
  };

  const addLines = (service: string, lines: LogLine[]) => {
    let last = lastSeqs.get(service) ?? 0;
    for (const line of lines) {
      // A replay after a reconnect may overlap what we have: seqs only grow, so older ones are repeats.
      if (line.seq <= last) continue;
      last = line.seq;
      // Tag the parsed object in place: one allocation per line is the JSON parse itself.
      const entry = line as LineEntry;
      entry.kind = "line";
      entry.service = service;
      append(entry);
    }
    lastSeqs.set(service, last);
  };
  const addGap = (service: string, from: number, to: number) => {
    const last = lastSeqs.get(service) ?? 0;
    if (to <= last) return;
    append({ kind: "gap", service, from: Math.max(from, last + 1), to });
    lastSeqs.set(service, to);
  };
  const reset = (next: string) => {
    // Seqs of another console instance mean nothing here: start over with its replay.
    instance = next;
    lastSeqs.clear();
    for (const buffer of views.values()) buffer.clear();
  };

  return {
    version,
    get instance() {
      return instance;
    },
    setInstance(next) {
      instance = next;
    },
    view,
    lastSeq: (service) => lastSeqs.get(service) ?? 0,
    since: () => formatSince(lastSeqs),
    handle(msg) {
      switch (msg.type) {
        case "lines":
          addLines(msg.service, msg.lines);
          break;
        case "gap":
          addGap(msg.service, msg.from, msg.to);
          break;
        case "reset":
          reset(msg.instance);
          break;
        case "live":
          return;
      }
      bump();
    },
    clear(key) {
      if (key === ALL_SERVICES) for (const buffer of views.values()) buffer.clear();
      else view(key).clear();
      bump();
    },
    recent(service, stream, count) {
      const buffer = view(service);
      const found: LineEntry[] = [];
      const stop = Math.max(buffer.start, buffer.end - RECENT_SCAN_LIMIT);
      for (let abs = buffer.end - 1; abs >= stop && found.length < count; abs--) {
        const entry = buffer.at(abs);
        if (entry?.kind !== "line") continue;
        // Only the last run: lines of an earlier crash would read as this one's.
        // "cannot start:" is a run that never began: earlier lines are not its output either.
        if (entry.stream === "system" && (entry.text.startsWith("started ") || entry.text.startsWith("cannot start: "))) break;
        if (entry.stream === stream) found.push(entry);
      }
      return found.reverse();
    },
  };
}
